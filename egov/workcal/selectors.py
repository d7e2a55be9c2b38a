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
    """The clock's calendar for a unit: what ``calendar_from_record(work_calendar_for_unit(unit))``
    gives, read in one query (the calendars on the unit's path joined to their overrides)."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    rows = (
        WorkCalendar.objects.filter(unit_id__in=ids)
        .order_by("overrides__date")
        .values_list(
            "unit_id",
            "rest_weekdays",
            "sessions",
            "overrides__date",
            "overrides__working",
            "overrides__reason",
            "overrides__legal_basis",
        )
    )
    found: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(row)
    nearest = next((found[unit_id] for unit_id in reversed(ids) if unit_id in found), None)
    if nearest is None:
        return _calendar(frozenset({5, 6}), DEFAULT_SESSIONS, ())
    _unit_id, rest_weekdays, sessions = nearest[0][:3]
    overrides = tuple(
        Override(date=day, working=working, reason=reason, legal_basis=legal_basis)
        for _u, _r, _s, day, working, reason, legal_basis in nearest
        if day is not None  # the outer join's row for a calendar without overrides
    )
    rest = frozenset(int(d) for d in rest_weekdays.split(",") if d.strip())
    return _calendar(rest, _parse_sessions(sessions), overrides)


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
