"""The documents' permission matrix: personas, the world they act in, and the row type.

Each area lists its rows in ``matrix_<area>.py``; :mod:`egov.documents.tests.test_matrix` runs
them all and ``tests/test_permission_matrix.py`` counts them as covered endpoints. Expected
statuses are given per persona in :data:`PERSONAS` order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from egov.accounts.models import User
from egov.documents.models import Entry
from egov.documents.tests.conftest import Office

PERSONAS = [
    "anonymous",
    "citizen",
    "clerk",  # clerk of the provincial People's Committee (keeps its registers)
    "leader",  # its chairman
    "head",  # head of its office (a division)
    "specialist",  # specialist of its office
    "clerk_dept",  # clerk of the Department of Health (another agency)
    "outsider",  # specialist of a commune elsewhere: sees nothing
    "admin",  # the committee's unit administrator (registers, access log)
    "auditor",  # the committee's auditor: reads, never acts
]

A = 302  # anonymous page requests go to sign in
U = 401  # anonymous API requests


@dataclass
class World:
    office: Office
    people: dict[str, User | None]
    # An incoming document registered at the committee, submitted to the chairman.
    entry: Entry
    extra: dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One request: the URL (built from the world), its method and body, and the expected
    status per persona, in PERSONAS order."""

    endpoint: str  # a URL name ("documents:entry") or an API operation ("GET /api/v1/documents/...")
    url: Callable[[World], str]
    expected: tuple[int, ...]
    method: str = "GET"
    body: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None
    json: bool = False
