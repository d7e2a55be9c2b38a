"""Permission-matrix rows for the registers pages and API (see matrix.py for the personas)."""

from __future__ import annotations

from egov.documents.tests.matrix_base import Case

CASES: list[Case] = []
