"""All rows of the documents' permission matrix."""

from __future__ import annotations

from egov.documents.tests import (
    matrix_drafting,
    matrix_handling,
    matrix_incoming,
    matrix_registers,
    matrix_search,
    matrix_workfiles,
)
from egov.documents.tests.matrix_base import Case
from egov.signatures.tests import matrix_checks, matrix_keys

CASES: list[Case] = [
    *matrix_incoming.CASES,
    *matrix_handling.CASES,
    *matrix_drafting.CASES,
    *matrix_workfiles.CASES,
    *matrix_search.CASES,
    *matrix_registers.CASES,
    *matrix_keys.CASES,
    *matrix_checks.CASES,
]
