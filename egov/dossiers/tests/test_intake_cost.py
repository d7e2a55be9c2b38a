"""What one reception costs the database, and the shortcuts that keep it low (docs/benchmarks.md, intake)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Province
from egov.audit.services import audit_verify
from egov.catalog import services as catalog_services
from egov.catalog.data import StepData
from egov.catalog.selectors import version_rules, version_to_data
from egov.dossiers.models import DossierEvent
from egov.workcal.selectors import calendar_for_unit, calendar_from_record, work_calendar_for_unit
from egov.workcal.services import calendar_override_set, work_calendar_create

# Inside a test the reception's transaction is a savepoint: SAVEPOINT, agency code, counter,
# calendar, dossier, papers, steps, timeline, current step, notification, deliveries, one task
# row per delivery (e-mail and SMS: the outbox, no second transaction), audit head lock, audit
# entry, audit head, RELEASE. Raise it only with a reason.
RECEPTION_QUERY_BUDGET = 17


def test_one_reception_stays_within_its_query_budget(
    receive: Any, django_assert_max_num_queries: Any
) -> None:
    receive()  # creates today's counter row
    with django_assert_max_num_queries(RECEPTION_QUERY_BUDGET):
        dossier = receive()
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk"))
    assert [(e.kind, e.data) for e in events] == [
        ("received", {}),
        ("step_started", {"seq": 1}),
        ("step_started", {"seq": 2}),
    ]
    assert dossier.current_step.seq == 2
    assert audit_verify().ok


def test_the_audit_head_lock_is_the_last_thing_a_reception_takes(receive: Any) -> None:
    """Every writer in the system queues on the chain head until the holder commits."""
    receive()
    with CaptureQueriesContext(connection) as ctx:
        receive()
    statements = [q["sql"] for q in ctx.captured_queries]
    # SELECT … FOR UPDATE on PostgreSQL; SQLite has no row locks and serialises whole writes.
    lock = next(
        i for i, sql in enumerate(statements) if sql.startswith("SELECT") and "audit_audithead" in sql
    )
    after = [sql.split()[0] for sql in statements[lock + 1 :]]
    assert after[:2] == ["INSERT", "UPDATE"]  # the entry, then the head
    assert all(word in {"RELEASE", "COMMIT"} for word in after[2:])


def test_a_unit_calendar_read_in_one_query_is_the_stored_calendar(province: Province) -> None:
    stored = work_calendar_create(unit=province.province, by=None)
    own = work_calendar_create(unit=province.district_b, rest_weekdays="6", by=None)
    for day, working in ((dt.date(2026, 3, 2), False), (dt.date(2026, 3, 7), True)):
        calendar_override_set(
            calendar=stored, date=day, working=working, reason="CV", legal_basis="", by=None
        )
    calendar_override_set(
        calendar=own, date=dt.date(2026, 3, 9), working=False, reason="CV", legal_basis="", by=None
    )
    for unit in (province.one_stop_a1, province.one_stop_b1, province.province):
        record = work_calendar_for_unit(unit)
        assert record is not None
        assert calendar_for_unit(unit) == calendar_from_record(record)


def test_version_rules_are_read_once_for_a_published_version_and_fresh_for_a_draft(
    procedure: Any, django_assert_num_queries: Any
) -> None:
    first = version_rules(procedure)
    with django_assert_num_queries(0):
        assert version_rules(procedure) is first
    assert [s.order for s in first.steps_at("commune")] == sorted(s.order for s in first.steps_at("commune"))
    data = version_to_data(procedure)
    for name in ("Bước một", "Bước hai"):
        renamed = dataclasses.replace(data, process=[_renamed(data.process[0], name), *data.process[1:]])
        draft = catalog_services.procedure_save_draft(data=renamed, by=None)
        assert name in {s.name for s in version_rules(draft).process_steps}
    # The published version is untouched by its draft, and so is what was read for it.
    assert version_rules(procedure) is first
    assert {s.name for s in first.process_steps} == {s.name for s in data.process}


def _renamed(step: StepData, name: str) -> StepData:
    return dataclasses.replace(step, name=name)


def test_delivery_tasks_are_written_in_the_receptions_own_transaction(receive: Any) -> None:
    """The database task backend is an outbox: the worker's task rows commit or roll back with
    the reception, and no callback waits for the commit."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from egov.notifications.models import Delivery

    with transaction.atomic():
        receive()
        assert not transaction.get_connection().run_on_commit
        assert DBTaskResult.objects.count() == Delivery.objects.count() == 2
        transaction.set_rollback(True)
    assert DBTaskResult.objects.count() == Delivery.objects.count() == 0
