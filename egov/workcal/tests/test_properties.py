"""Property tests for the deadline clock.

The oracle below is deliberately naive and independent of the implementation: it
walks minute by minute, asks the ``holidays`` package itself whether a day is a
working day (``HolidayBase.is_working_day``, which knows the make-up Saturdays),
and counts the minutes that are inside a session and outside every pause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.workcal import (
    MAX_WORKING_DAYS,
    Calendar,
    Limit,
    LimitUnit,
    clock_start,
    due,
    elapsed,
    is_working_day,
)

CAL = Calendar()
MINUTE = dt.timedelta(minutes=1)
FIRST = dt.datetime(2021, 1, 1)
SPAN_MINUTES = int((dt.datetime(2026, 12, 1) - FIRST) / MINUTE)

starts = st.integers(0, SPAN_MINUTES).map(lambda m: FIRST + m * MINUTE)
precise_starts = st.datetimes(min_value=FIRST, max_value=dt.datetime(2026, 12, 1))
working_limits = st.one_of(
    st.integers(1, 120).map(lambda n: Limit(n, LimitUnit.WORKING_DAYS)),
    st.integers(1, 600).map(lambda n: Limit(n, LimitUnit.WORKING_HOURS)),
)


@st.composite
def pause_lists(
    draw: st.DrawFn, start: dt.datetime, max_pauses: int = 4
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Non-overlapping pauses around ``start`` (some may begin before it), minute-aligned."""
    cursor = start + draw(st.integers(-3 * 24 * 60, 5 * 24 * 60)) * MINUTE
    pauses = []
    for _ in range(draw(st.integers(0, max_pauses))):
        begin = cursor + draw(st.integers(0, 4 * 24 * 60)) * MINUTE
        end = begin + draw(st.integers(0, 3 * 24 * 60)) * MINUTE
        pauses.append((begin, end))
        cursor = end
    return pauses


@cache
def _package_working(day: dt.date) -> bool:
    return bool(holidays.country_holidays("VN", years=day.year).is_working_day(day))


def _in_session(t: dt.time, sessions: Sequence[tuple[dt.time, dt.time]]) -> bool:
    return any(opening <= t < closing for opening, closing in sessions)


def oracle_due(
    start: dt.datetime, minutes: int, pauses: Sequence[tuple[dt.datetime, dt.datetime]] = ()
) -> dt.datetime:
    t, counted = start, 0
    while True:
        if not _package_working(t.date()):
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), dt.time())
            continue
        if _in_session(t.time(), CAL.sessions) and not any(b <= t < e for b, e in pauses):
            counted += 1
            if counted == minutes:
                return t + MINUTE
        t += MINUTE


def _local(t: dt.datetime) -> dt.datetime:
    return t.astimezone(CAL.zone).replace(tzinfo=None)


def _assert_inside_office_hours(result: dt.datetime, cal: Calendar) -> None:
    local = _local(result)
    assert is_working_day(local.date(), cal)
    # Inside a session or exactly at its close, never at an opening (that instant
    # has the same office-clock position as the previous close, which comes first).
    assert any(opening < local.time() <= closing for opening, closing in cal.sessions), local


@settings(max_examples=60, deadline=None)
@given(start=starts, hours=st.integers(1, 20), data=st.data())
def test_matches_minute_by_minute_oracle(start: dt.datetime, hours: int, data: st.DataObject) -> None:
    pauses = data.draw(pause_lists(start, max_pauses=2))
    result = due(start=start, limit=Limit(hours, LimitUnit.WORKING_HOURS), cal=CAL, pauses=pauses)
    assert _local(result) == oracle_due(start, hours * 60, pauses)


@settings(max_examples=40, deadline=None)
@given(start=starts, n=st.integers(1, 3))
def test_working_days_match_oracle(start: dt.datetime, n: int) -> None:
    result = due(start=start, limit=Limit(n, LimitUnit.WORKING_DAYS), cal=CAL)
    assert _local(result) == oracle_due(start, n * 8 * 60)


@settings(deadline=None)
@given(start=precise_starts, limit=working_limits)
def test_due_is_inside_office_hours_on_a_working_day(start: dt.datetime, limit: Limit) -> None:
    _assert_inside_office_hours(due(start=start, limit=limit, cal=CAL), CAL)


@settings(deadline=None)
@given(start=precise_starts, limit=working_limits, cutoff=st.none() | st.times())
def test_due_is_strictly_monotonic_in_the_limit(
    start: dt.datetime, limit: Limit, cutoff: dt.time | None
) -> None:
    bigger = Limit(limit.amount + 1, limit.unit)
    assert due(start=start, limit=limit, cal=CAL, cutoff=cutoff) < due(
        start=start, limit=bigger, cal=CAL, cutoff=cutoff
    )


@settings(deadline=None)
@given(start=precise_starts, limit=working_limits, cutoff=st.none() | st.times(), data=st.data())
def test_elapsed_until_due_equals_the_limit(
    start: dt.datetime, limit: Limit, cutoff: dt.time | None, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    result = due(start=start, limit=limit, cal=CAL, cutoff=cutoff, pauses=pauses)
    assert elapsed(start=start, end=result, cal=CAL, cutoff=cutoff, pauses=pauses) == limit.office_time(CAL)


@settings(deadline=None)
@given(start=precise_starts, limit=working_limits, data=st.data())
def test_pauses_never_make_due_earlier(start: dt.datetime, limit: Limit, data: st.DataObject) -> None:
    pauses = data.draw(pause_lists(start))
    plain = due(start=start, limit=limit, cal=CAL)
    paused = due(start=start, limit=limit, cal=CAL, pauses=pauses)
    assert paused >= plain
    _assert_inside_office_hours(paused, CAL)
    # Dropping any one pause cannot make the deadline later.
    for i in range(len(pauses)):
        fewer = pauses[:i] + pauses[i + 1 :]
        assert due(start=start, limit=limit, cal=CAL, pauses=fewer) <= paused


@settings(deadline=None)
@given(start=precise_starts, a=st.integers(1, 300), b=st.integers(1, 300))
def test_working_hours_are_additive(start: dt.datetime, a: int, b: int) -> None:
    hours = LimitUnit.WORKING_HOURS
    first = due(start=start, limit=Limit(a, hours), cal=CAL)
    assert due(start=first, limit=Limit(b, hours), cal=CAL) == due(
        start=start, limit=Limit(a + b, hours), cal=CAL
    )


@settings(deadline=None)
@given(start=precise_starts, n=st.integers(1, 400), data=st.data())
def test_calendar_days_end_at_close_of_a_working_day(start: dt.datetime, n: int, data: st.DataObject) -> None:
    pauses = data.draw(pause_lists(start))
    limit = Limit(n, LimitUnit.CALENDAR_DAYS)
    result = _local(due(start=start, limit=limit, cal=CAL))
    assert result.time() == dt.time(17)
    assert is_working_day(result.date(), CAL)
    first = _local(clock_start(start, CAL)).date() + dt.timedelta(days=n)
    assert result.date() >= first
    # Every day between the nominal last day and the result is a day off.
    day = first
    while day < result.date():
        assert not is_working_day(day, CAL)
        day += dt.timedelta(days=1)
    assert due(start=start, limit=Limit(n + 1, LimitUnit.CALENDAR_DAYS), cal=CAL) >= due(
        start=start, limit=limit, cal=CAL
    )
    assert due(start=start, limit=limit, cal=CAL, pauses=pauses) >= due(start=start, limit=limit, cal=CAL)


@st.composite
def custom_calendars(draw: st.DrawFn) -> Calendar:
    points = draw(st.lists(st.integers(1, 24 * 60 - 1), min_size=2, max_size=6, unique=True).map(sorted))
    if len(points) % 2:
        points = points[:-1]
    sessions = tuple(
        (dt.time(*divmod(points[i], 60)), dt.time(*divmod(points[i + 1], 60)))
        for i in range(0, len(points), 2)
    )
    rest = draw(st.frozensets(st.integers(0, 6), max_size=3))
    return Calendar(sessions=sessions, rest_weekdays=rest)


@settings(deadline=None)
@given(cal=custom_calendars(), start=precise_starts, data=st.data())
def test_properties_hold_for_custom_calendars(cal: Calendar, start: dt.datetime, data: st.DataObject) -> None:
    # Short custom days lower the "three years" bound on working hours; stay under it.
    max_hours = min(600, MAX_WORKING_DAYS * cal.day_length // dt.timedelta(hours=1))
    limit = data.draw(
        st.one_of(
            st.integers(1, 120).map(lambda n: Limit(n, LimitUnit.WORKING_DAYS)),
            st.integers(1, max_hours).map(lambda n: Limit(n, LimitUnit.WORKING_HOURS)),
        )
    )
    pauses = data.draw(pause_lists(start))
    result = due(start=start, limit=limit, cal=cal, pauses=pauses)
    _assert_inside_office_hours(result, cal)
    assert elapsed(start=start, end=result, cal=cal, pauses=pauses) == limit.office_time(cal)
    assert result >= due(start=start, limit=limit, cal=cal)
