"""Permission-matrix rows of the signature app's checks pages and API operations (personas and
world: :mod:`egov.documents.tests.matrix_base`)."""

from __future__ import annotations

from egov.documents.tests.matrix_base import Case

CASES: list[Case] = []
