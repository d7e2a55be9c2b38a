"""Counters' clicks at the same instant on PostgreSQL: consecutive codes, no duplicates, no gaps."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from conftest import APPLICANT, PAPERS
from egov.dossiers.models import Dossier
from egov.dossiers.services import DossierError, dossier_receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql, pytest.mark.slow]


def _at_once(n: int, action: Callable[[], Any]) -> list[Any]:
    """Run ``action`` in ``n`` threads released together; what each returned or raised."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are exercised on PostgreSQL; SQLite serialises all writers")
    barrier = threading.Barrier(n)
    outcomes: list[Any] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except BaseException as exc:  # collected and asserted by the caller
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _receive(province: Any, procedure: Any, personas: dict[str, Any], **extra: Any) -> Callable[[], Any]:
    return lambda: dossier_receive(
        unit=province.one_stop_a1,
        version=procedure,
        channel="direct",
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="counter",
        by=personas["officer_a1"],
        **extra,
    )


def test_parallel_receptions_get_consecutive_unique_codes(
    audit_flushable: None, procedure: Any, province: Any, personas: dict[str, Any]
) -> None:
    outcomes = _at_once(8, _receive(province, procedure, personas))
    assert all(isinstance(o, Dossier) for o in outcomes), outcomes
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in Dossier.objects.values_list("code", flat=True))
    assert numbers == list(range(1, 9))


def test_a_quadruple_click_with_one_intake_token_saves_one_dossier_and_no_server_error(
    audit_flushable: None, procedure: Any, province: Any, personas: dict[str, Any]
) -> None:
    outcomes = _at_once(
        4, _receive(province, procedure, personas, intake_token="same-form-clicked-four-times")
    )
    assert len(outcomes) == 4
    # Each click either got the one dossier back or a clear refusal, never a database error.
    assert all(isinstance(o, Dossier | DossierError) for o in outcomes), outcomes
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().code.endswith("-0001")  # the refused clicks left no gap in the codes
