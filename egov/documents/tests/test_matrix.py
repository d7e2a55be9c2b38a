"""Every document page and API operation against every persona (see matrix_base.py)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from conftest import _person, sign_in
from egov.accounts.models import AccountKind, Role
from egov.documents import services
from egov.documents.tests import matrix_workfiles
from egov.documents.tests.conftest import Office
from egov.documents.tests.drafting_helpers import matrix_extras as drafting_extras
from egov.documents.tests.matrix import CASES
from egov.documents.tests.matrix_base import PERSONAS, Case, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office: Office, registered: Any) -> World:
    c = office.committee
    people = {
        "anonymous": None,
        "citizen": _person("congdan.matrix", kind=AccountKind.CITIZEN),
        "clerk": c.clerk,
        "leader": c.leader,
        "head": c.head,
        "specialist": c.specialist,
        "clerk_dept": office.department.clerk,
        "outsider": office.outsider,
        "admin": office.admin,
        "auditor": _person("kiemtra.p", roles=[(c.unit, Role.AUDITOR)]),
    }
    entry = registered()
    services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    entry.refresh_from_db()
    extra: dict[str, Any] = {}
    extra.update(drafting_extras(office))  # drafting: a draft, one in review, one approved, one issued
    _handling_extras(office, registered, extra)
    world = World(office=office, people=people, entry=entry, extra=extra)
    matrix_workfiles.extend_world(world)
    _registers_extras(world)
    return world


def _handling_extras(office: Office, registered: Any, extra: dict[str, Any]) -> None:
    """Incoming and handling: a registered entry not yet submitted, a directed one (lead: the
    office, co-handler: its specialist, who asked for more time) and the chairman's delegation
    to the head of the office."""
    import datetime as dt

    from django.utils import timezone

    c = office.committee
    extra["registered"] = registered(number="555", notation="UBND-VP", issuer_name="UBND huyện A")
    directed = registered(number="4321")
    services.entry_submit(entry=directed, leader=c.leader, by=c.clerk)
    direction = services.entry_direct(
        entry=directed, text="Giao Văn phòng", lead=c.division, co_handlers=[c.specialist], due=5, by=c.leader
    )
    extra["lead"] = direction.assignments.get(role="lead")
    co = direction.assignments.get(role="co")
    later = timezone.localdate() + dt.timedelta(days=40)
    extra["extension"] = services.extension_request(
        assignment=co, due=later, reason="Chờ số liệu", by=c.specialist
    )
    extra["delegation"] = services.delegation_create(
        agency=c.unit, delegate=c.head, starts_on=later, ends_on=later, by=c.leader
    )


def _registers_extras(world: World) -> None:
    """Registers area: a secret document at the committee with a grant to its specialist, and
    a readable PDF of the world's entry (for the watermarked download)."""
    from egov.documents.tests.matrix_registers import extras

    extras(world)


def _request(client: Client, world: World, case: Case, url: str) -> int:
    method = getattr(client, case.method.lower())
    kwargs: dict[str, Any] = {}
    body = case.body(world) if callable(case.body) else case.body
    if body is not None:
        kwargs = (
            {"data": json.dumps(body), "content_type": "application/json"} if case.json else {"data": body}
        )
    # Each request runs in a savepoint rolled back afterwards, so no POST changes the world.
    with transaction.atomic():
        status = int(method(url, **kwargs).status_code)
        transaction.set_rollback(True)
    return status


def test_every_row_names_each_persona() -> None:
    assert all(len(case.expected) == len(PERSONAS) for case in CASES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_documents_matrix(world: World, persona: str) -> None:
    assert CASES, "the documents' matrix has no rows"
    index = PERSONAS.index(persona)
    client = Client()
    user = world.people[persona]
    if user is not None:
        sign_in(client, user)
    wrong = []
    for case in CASES:
        cache.clear()  # rate limits must not turn a later row into a 429
        url = case.url(world)
        got = _request(client, world, case, url)
        if os.environ.get("EGOV_MATRIX_RECORD"):
            print(f"MATRIX {persona:12} {case.method:5} {url:60} {got}")
        if got != case.expected[index]:
            wrong.append(f"{case.method} {url} ({case.endpoint}): expected {case.expected[index]}, got {got}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
