"""Eight clerks press "issue" at the same instant, each on their own database connection: the
register's numbers come out consecutive, without a duplicate or a gap."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from egov.documents import services
from egov.documents.models import Document, DraftState
from egov.documents.tests.conftest import Office
from egov.documents.tests.drafting_helpers import approved

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ISSUERS = 8


def _at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    """Run each action in its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = []

    def run(action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except BaseException as exc:  # collected and asserted by the caller
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _issuers(office: Office) -> list[Callable[[], Any]]:
    c = office.committee
    drafts = [approved(office, recipients=[]) for _ in range(ISSUERS)]
    return [
        (lambda d=d: services.document_issue(document=d, register=c.outgoing, by=c.clerk)) for d in drafts
    ]


@pytest.mark.postgresql
def test_eight_concurrent_issuers_never_produce_a_duplicate_or_a_gap(
    audit_flushable: None, office: Office
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are exercised on PostgreSQL")
    outcomes = _at_once(_issuers(office))
    assert all(isinstance(o, Document) for o in outcomes), outcomes
    issued = Document.objects.filter(state=DraftState.ISSUED, register=office.committee.outgoing)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, ISSUERS + 1))
    assert sorted(issued.values_list("number", flat=True)) == [f"{n:02d}" for n in range(1, ISSUERS + 1)]
    assert office.committee.outgoing.counters.get().last == ISSUERS


def test_concurrent_issuers_on_sqlite_take_numbers_one_at_a_time(
    audit_flushable: None, office: Office
) -> None:
    """SQLite lets one writer in at a time: an issuer that cannot get the write lock in time
    fails cleanly and takes no number; those that succeed have consecutive numbers."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant above covers row locks")
    outcomes = _at_once(_issuers(office))
    done = [o for o in outcomes if isinstance(o, Document)]
    failed = [o for o in outcomes if not isinstance(o, Document)]
    assert done, outcomes
    assert all("locked" in str(o) for o in failed), failed
    numbers = sorted(Document.objects.filter(state=DraftState.ISSUED).values_list("sequence", flat=True))
    assert numbers == list(range(1, len(done) + 1))
    assert Document.objects.filter(state=DraftState.APPROVED).count() == len(failed)
