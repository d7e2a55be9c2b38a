"""Eight counters' clicks at the same instant on PostgreSQL: consecutive codes, no duplicates, no gaps."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from conftest import APPLICANT, PAPERS
from egov.dossiers.models import Dossier
from egov.dossiers.services import dossier_receive


@pytest.mark.django_db(transaction=True)
def test_parallel_receptions_get_consecutive_unique_codes(
    audit_flushable: None, procedure: Any, province: Any, personas: dict[str, Any]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are exercised on PostgreSQL; SQLite serialises all writers")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def receive() -> None:
        try:
            barrier.wait(timeout=10)
            dossier_receive(
                unit=province.one_stop_a1,
                version=procedure,
                channel="direct",
                applicant=APPLICANT,
                papers=PAPERS,
                return_method="counter",
                by=personas["officer_a1"],
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in Dossier.objects.values_list("code", flat=True))
    assert numbers == list(range(1, 9))
