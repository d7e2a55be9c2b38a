"""Writing calendars and overrides; every change is audited in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record, snapshot
from egov.orgs.models import Unit
from egov.workcal.models import CalendarOverride, WorkCalendar


@transaction.atomic
def work_calendar_create(
    *, unit: Unit, by: Actor | None, rest_weekdays: str = "5,6", sessions: list[list[str]] | None = None
) -> WorkCalendar:
    """Give ``unit`` (and the units below it) its own working calendar."""
    record = WorkCalendar(
        unit=unit, rest_weekdays=rest_weekdays, sessions=sessions or [["07:00", "11:00"], ["13:00", "17:00"]]
    )
    record.full_clean()
    record.save()
    audit_record(
        event=AuditEvent.CALENDAR_CHANGED,
        actor=by,
        target=record,
        scope_path=unit.path,
        after=snapshot(record),
    )
    return record


@transaction.atomic
def calendar_override_set(
    *, calendar: WorkCalendar, date: dt.date, working: bool, reason: str, legal_basis: str, by: Actor
) -> CalendarOverride:
    """Declare ``date`` a working day or a day off, replacing any earlier override of that day."""
    existing = CalendarOverride.objects.filter(calendar=calendar, date=date).first()
    before = snapshot(existing) if existing else None
    override = existing or CalendarOverride(calendar=calendar, date=date)
    override.working = working
    override.reason = reason
    override.legal_basis = legal_basis
    override.full_clean()
    override.save()
    audit_record(
        event=AuditEvent.CALENDAR_CHANGED,
        actor=by,
        target=calendar,
        scope_path=calendar.unit.path,
        before=before,
        after=snapshot(override),
    )
    return override


@transaction.atomic
def calendar_override_remove(*, override: CalendarOverride, by: Actor) -> None:
    """Withdraw an override; the package's data applies to that day again."""
    calendar = override.calendar
    before = snapshot(override)
    override.delete()
    audit_record(
        event=AuditEvent.CALENDAR_CHANGED,
        actor=by,
        target=calendar,
        scope_path=calendar.unit.path,
        before=before,
    )
