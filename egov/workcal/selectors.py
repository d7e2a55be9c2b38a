"""Turning stored calendars into the pure ``Calendar`` the clock computes with."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from egov.orgs.models import Unit
from egov.workcal.core import DEFAULT_SESSIONS, Calendar, DayInfo, Override, day_info, non_working_days
from egov.workcal.models import WorkCalendar


def _parse_sessions(raw: Any) -> tuple[tuple[dt.time, dt.time], ...]:
    if not raw:
        return DEFAULT_SESSIONS
    return tuple((dt.time.fromisoformat(start), dt.time.fromisoformat(end)) for start, end in raw)


def calendar_from_record(record: WorkCalendar) -> Calendar:
    overrides = tuple(
        Override(date=o.date, working=o.working, reason=o.reason, legal_basis=o.legal_basis)
        for o in record.overrides.all()
    )
    rest = frozenset(int(d) for d in record.rest_weekdays.split(",") if d.strip())
    return _calendar(rest, _parse_sessions(record.sessions), overrides)


@functools.lru_cache(maxsize=64)
def _calendar(
    rest: frozenset[int], sessions: tuple[tuple[dt.time, dt.time], ...], overrides: tuple[Override, ...]
) -> Calendar:
    """Calendars are immutable and cache their year tables (holidays, swaps); reusing the
    instance for the same settings saves rebuilding those tables on every due-time computation.
    Any change to the stored calendar gives a different key, hence a fresh instance."""
    return Calendar(rest_weekdays=rest, sessions=sessions, overrides=overrides)


def work_calendar_for_unit(unit: Unit) -> WorkCalendar | None:
    """The nearest stored calendar on the unit's path to the root (the unit's own wins)."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    found = {c.unit_id: c for c in WorkCalendar.objects.filter(unit_id__in=ids)}
    for unit_id in reversed(ids):
        if unit_id in found:
            return found[unit_id]
    return None


def calendar_for_unit(unit: Unit) -> Calendar:
    record = work_calendar_for_unit(unit)
    return calendar_from_record(record) if record else _calendar(frozenset({5, 6}), DEFAULT_SESSIONS, ())


def default_work_calendar() -> WorkCalendar | None:
    """The calendar of the first current province (the deployment's own)."""
    return (
        WorkCalendar.objects.filter(unit__kind="province", unit__valid_to__isnull=True)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )


def work_calendar_get(*, pk: int) -> WorkCalendar:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(WorkCalendar.objects.select_related("unit"), pk=pk)


def calendar_year_exceptions(cal: Calendar, year: int) -> list[DayInfo]:
    """What differs from an ordinary week in ``year``: weekdays off and rest days worked (make-up days)."""
    days = [d for d in non_working_days(year, cal) if d.date.weekday() not in cal.rest_weekdays]
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() in cal.rest_weekdays:
            info = day_info(day, cal)
            if info.working:
                days.append(info)
        day += dt.timedelta(days=1)
    return sorted(days, key=lambda d: d.date)
