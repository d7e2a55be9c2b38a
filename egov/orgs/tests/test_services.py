from __future__ import annotations

from typing import Any

from egov.orgs import services


def test_agency_identifiers_are_stored_in_capitals(province: Any) -> None:
    unit = services.unit_update(unit=province.commune_a1, agency_code=" 000.11.00.h33 ", by=None)
    unit.refresh_from_db()
    assert unit.agency_code == "000.11.00.H33"
