"""Eight counters' clicks at the same instant on PostgreSQL: consecutive codes, no duplicates, no gaps."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from conftest import APPLICANT, PAPERS
from egov.dossiers.models import Dossier
from egov.dossiers.services import DossierError, dossier_receive


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


@pytest.mark.django_db(transaction=True)
def test_a_quadruple_click_with_one_intake_token_saves_one_dossier_and_no_server_error(
    audit_flushable: None, procedure: Any, province: Any, personas: dict[str, Any]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are exercised on PostgreSQL; SQLite serialises all writers")
    barrier = threading.Barrier(4)
    outcomes: list[Any] = []

    def receive() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                dossier_receive(
                    unit=province.one_stop_a1,
                    version=procedure,
                    channel="direct",
                    applicant=APPLICANT,
                    papers=PAPERS,
                    return_method="counter",
                    by=personas["officer_a1"],
                    intake_token="same-form-clicked-four-times",
                )
            )
        except BaseException as exc:  # collected and asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 4
    # Each click either got the one dossier back or a clear refusal, never a database error.
    assert all(isinstance(o, Dossier | DossierError) for o in outcomes), outcomes
    assert Dossier.objects.count() == 1
    code = Dossier.objects.get().code
    assert code.endswith("-0001")  # the refused clicks left no gap in the day's codes
