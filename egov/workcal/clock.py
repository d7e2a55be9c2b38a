"""Deadline clock: when a statutory time limit expires, and how much of it has been used.

Office time is measured as a position on a per-calendar "office clock": the
number of microseconds of office hours between the start of a reference year and
an instant.  The clock is flat outside office hours, so the due time is simply the
earliest instant whose position reaches ``start position + limit``; working in
integer microseconds keeps every result exact.  See docs/workcal.md for the rules.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Sequence

from egov.workcal.core import (
    US_PER_DAY,
    Calendar,
    Limit,
    LimitUnit,
    WorkcalError,
    _time_us,
    default_calendar,
)

__all__ = ["Pause", "Status", "classify", "clock_start", "due", "elapsed"]

Pause = tuple[dt.datetime, dt.datetime]

# Calendars never need more than this many years ahead of the start; the bound only
# stops runaway loops over a (theoretically) working-day-free stretch of years.
_MAX_YEARS_AHEAD = 10


class Status(enum.StrEnum):
    """Outcome of a dossier with respect to its deadline."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"


def _local(t: object, cal: Calendar, what: str) -> dt.datetime:
    """Naive wall-clock time in the calendar's zone; naive input is already local."""
    if not isinstance(t, dt.datetime):
        raise WorkcalError(f"{what} must be a datetime, got {t!r}")
    if t.tzinfo is None:
        return t
    return t.astimezone(cal.zone).replace(tzinfo=None)


def _tod_us(t: dt.datetime) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _office_before(cal: Calendar, tod: int) -> int:
    """Office time elapsed in a working day by time-of-day ``tod`` (µs)."""
    acc = 0
    for start, end in cal._session_us:
        if tod <= start:
            break
        if tod < end:
            return acc + tod - start
        acc += end - start
    return acc


def _pos(cal: Calendar, t: dt.datetime, base_year: int) -> int:
    """Office-clock position of local instant ``t``, counted from 1 January of ``base_year``."""
    year = t.year
    table = cal._table(year)
    i = t.toordinal() - table.first_ordinal
    pos = table.prefix[i] * cal._day_us
    if table.working[i]:
        pos += _office_before(cal, _tod_us(t))
    for y in range(base_year, year):
        pos += cal._table(y).total
    for y in range(year, base_year):
        pos -= cal._table(y).total
    return pos


def _at(cal: Calendar, target: int, base_year: int) -> dt.datetime:
    """Earliest local instant whose position is >= ``target`` (> 0).

    "Earliest" is what makes a limit that runs out exactly at a session's close
    due at that close (rule 3) rather than at the next opening, which has the
    same position.
    """
    year = base_year
    table = cal._table(year)
    while target > table.total:
        target -= table.total
        year += 1
        if year > base_year + _MAX_YEARS_AHEAD:
            raise WorkcalError("deadline lies implausibly far in the future; check the calendar")
        table = cal._table(year)
    day_us = cal._day_us
    k, offset = divmod(target - 1, day_us)
    offset += 1  # in (0, day_us]
    ordinal = table.first_ordinal + table.workdays[k]
    acc = 0
    tod = cal._session_us[-1][1]
    for start, end in cal._session_us:
        if offset <= acc + end - start:
            tod = start + offset - acc
            break
        acc += end - start
    return dt.datetime.fromordinal(ordinal) + dt.timedelta(microseconds=tod)


def _next_opening_after_day(cal: Calendar, day: dt.date) -> dt.datetime:
    day += dt.timedelta(days=1)
    while not cal._is_working(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, cal.sessions[0][0])


def _clock_start_local(cal: Calendar, t: dt.datetime, cutoff: dt.time | None) -> dt.datetime:
    day = t.date()
    if cal._is_working(day):
        tod = _tod_us(t)
        if cutoff is None or tod < _time_us(cutoff):
            for start, end in cal._session_us:
                if tod < end:
                    if tod >= start:
                        return t
                    return dt.datetime.combine(day, dt.time()) + dt.timedelta(microseconds=start)
    return _next_opening_after_day(cal, day)


def _check_cutoff(cutoff: object) -> dt.time | None:
    if cutoff is None:
        return None
    if not isinstance(cutoff, dt.time) or cutoff.tzinfo is not None:
        raise WorkcalError(f"cutoff must be a naive datetime.time, got {cutoff!r}")
    return cutoff


def clock_start(t: dt.datetime, cal: Calendar | None = None, *, cutoff: dt.time | None = None) -> dt.datetime:
    """When the clock starts for a dossier received at ``t`` (rule 2).

    At receipt if that is inside office hours on a working day, otherwise at the
    next opening; on a working day, receipt at or after ``cutoff`` starts the clock
    at the next working day's opening.  Returns an aware datetime in the calendar's zone.
    """
    cal = cal or default_calendar()
    local = _clock_start_local(cal, _local(t, cal, "start"), _check_cutoff(cutoff))
    return local.replace(tzinfo=cal.zone)


def _prepare_pauses(cal: Calendar, pauses: Sequence[Pause], clock_from: dt.datetime) -> list[Pause]:
    """Validate pauses and clip them to the part after the clock starts."""
    local: list[Pause] = []
    for pause in pauses:
        if len(pause) != 2:
            raise WorkcalError(f"a pause must be a (start, end) pair, got {pause!r}")
        begin, end = _local(pause[0], cal, "pause start"), _local(pause[1], cal, "pause end")
        if end < begin:
            raise WorkcalError(f"pause ends ({end.isoformat()}) before it starts ({begin.isoformat()})")
        local.append((begin, end))
    local.sort()
    for (_, prev_end), (begin, _) in itertools.pairwise(local):
        if begin < prev_end:
            raise WorkcalError(f"pauses overlap: one starts at {begin.isoformat()} before the previous ends")
    return [(max(begin, clock_from), end) for begin, end in local if end > clock_from]


def _calendar_days_due(cal: Calendar, start: dt.datetime, amount: int, pauses: list[Pause]) -> dt.datetime:
    def deadline(extra_days: int) -> dt.datetime:
        day = start.date() + dt.timedelta(days=amount + extra_days)
        # Civil Code 2015 Art. 148: a period ending on a day off ends on the next working day.
        while not cal._is_working(day):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, cal._close)

    result = deadline(0)
    paused_us = 0
    for begin, end in pauses:
        # A pause that begins after the (already extended) deadline cannot extend it.
        if begin >= result:
            break
        paused_us += (end - begin) // dt.timedelta(microseconds=1)
        result = deadline(-(-paused_us // US_PER_DAY))
    return result


def due(
    *,
    start: dt.datetime,
    limit: Limit,
    cal: Calendar | None = None,
    cutoff: dt.time | None = None,
    pauses: Sequence[Pause] = (),
    restart_at: dt.datetime | None = None,
) -> dt.datetime:
    """Instant at which ``limit`` expires for a dossier received at ``start``.

    Working-day and working-hour limits count office time from the clock start
    (rule 2), skipping paused intervals, and are due when the count reaches the
    limit (rules 1, 3, 4).  Calendar-day limits end at the close of office hours
    on start date + N days, moved to the next working day if needed, and extended
    by the paused time rounded up to whole days (rule 5).  With ``restart_at`` the
    clock starts again from zero there, so pauses before it do not matter.
    Naive datetimes are read in the calendar's zone; the result is aware.
    """
    cal = cal or default_calendar()
    if not isinstance(limit, Limit):
        raise WorkcalError(f"limit must be a Limit, got {limit!r}")
    limit.check_bounds(cal)
    cutoff = _check_cutoff(cutoff)
    anchor = _local(start, cal, "start")
    if restart_at is not None:
        restart = _local(restart_at, cal, "restart_at")
        if restart < anchor:
            raise WorkcalError("restart_at is before start")
        anchor = restart
    clock_from = _clock_start_local(cal, anchor, cutoff)
    clipped = _prepare_pauses(cal, pauses, clock_from)

    if limit.unit is LimitUnit.CALENDAR_DAYS:
        return _calendar_days_due(cal, clock_from, limit.amount, clipped).replace(tzinfo=cal.zone)

    base = clock_from.year
    target = _pos(cal, clock_from, base) + limit._office_us(cal)
    for begin, end in clipped:
        begin_pos = _pos(cal, begin, base)
        if begin_pos >= target:
            break
        # Office time inside the pause is not counted, so the finish line moves by it.
        target += _pos(cal, end, base) - begin_pos
    return _at(cal, target, base).replace(tzinfo=cal.zone)


def elapsed(
    *,
    start: dt.datetime,
    end: dt.datetime,
    cal: Calendar | None = None,
    cutoff: dt.time | None = None,
    pauses: Sequence[Pause] = (),
) -> dt.timedelta:
    """Office time counted between the clock start for ``start`` and ``end``, minus pauses.

    Zero when ``end`` is not after the clock start.
    """
    cal = cal or default_calendar()
    clock_from = _clock_start_local(cal, _local(start, cal, "start"), _check_cutoff(cutoff))
    stop = _local(end, cal, "end")
    clipped = _prepare_pauses(cal, pauses, clock_from)
    if stop <= clock_from:
        return dt.timedelta(0)
    base = clock_from.year
    total = _pos(cal, stop, base) - _pos(cal, clock_from, base)
    for begin, pause_end in clipped:
        if begin >= stop:
            break
        total -= _pos(cal, min(pause_end, stop), base) - _pos(cal, begin, base)
    return dt.timedelta(microseconds=total)


def classify(
    *,
    due_at: dt.datetime,
    original_due_at: dt.datetime | None = None,
    finished_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    cal: Calendar | None = None,
) -> Status:
    """Classify a dossier against its deadline.

    The reference deadline is ``original_due_at`` when given, so an extension never
    turns a late dossier into an on-time one.  Finished: EARLY if finished on an
    earlier local date than the deadline's date, ON_TIME if on that date at or
    before the deadline, LATE if after it.  Unfinished: WITHIN_TIME while
    ``now`` (default: the current time) is at or before the deadline, else OVERDUE.
    Naive datetimes are read in the calendar's zone.
    """
    cal = cal or default_calendar()
    reference = _local(original_due_at if original_due_at is not None else due_at, cal, "due_at")
    if finished_at is not None:
        finished = _local(finished_at, cal, "finished_at")
        if finished > reference:
            return Status.LATE
        if finished.date() < reference.date():
            return Status.EARLY
        return Status.ON_TIME
    current = _local(now, cal, "now") if now is not None else _local(dt.datetime.now(cal.zone), cal, "now")
    return Status.WITHIN_TIME if current <= reference else Status.OVERDUE
