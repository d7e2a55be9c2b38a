"""Office time on a unit's working calendar: walking minutes, sampling counter times."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from egov.dossiers.services import _timeliness as classify_timeliness
from egov.workcal import Calendar, Limit, LimitUnit, is_working_day

# ---------------------------------------------------------------- office-time helpers


def _local(t: dt.datetime, cal: Calendar) -> dt.datetime:
    return t.astimezone(cal.zone).replace(tzinfo=None)


def _walk(cal: Calendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """The instant ``minutes`` of office time after ``start`` (like workcal.due, minute-exact)."""
    t = _local(start, cal)
    remaining = dt.timedelta(minutes=max(0, minutes))
    while True:
        day = t.date()
        if is_working_day(day, cal):
            for opening, closing in cal.sessions:
                begin, close = dt.datetime.combine(day, opening), dt.datetime.combine(day, closing)
                if t >= close:
                    continue
                t = max(t, begin)
                available = close - t
                if remaining <= available:
                    return (t + remaining).replace(tzinfo=cal.zone)
                remaining -= available
                t = close
        t = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _office_minutes(limit: Limit, cal: Calendar) -> int:
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        raise ValueError("calendar days are not office time")
    return int(limit.office_time(cal).total_seconds() // 60)


def _day_minutes(cal: Calendar) -> int:
    return int(cal.day_length.total_seconds() // 60)


def _timeliness(due_at: dt.datetime, finished_at: dt.datetime) -> str:
    return str(classify_timeliness(due_at, finished_at))


class _Days:
    """Working days of one calendar inside the window, for sampling reception times."""

    def __init__(self, cal: Calendar, first: dt.date, last: dt.date) -> None:
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            if is_working_day(day, cal):
                self.days.append(day)
            day += dt.timedelta(days=1)

        self.cum_weights: list[float] | None = None

    def between(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        i, j = bisect.bisect_left(self.days, lo), bisect.bisect_right(self.days, hi)
        # An empty window (a long holiday) falls back to the last working day before it.
        return self.days[i:j] or self.days[max(0, j - 1) : max(1, j)]

    def weigh(self, weights: dict[dt.date, float], floor: float) -> None:
        """Sample the whole window with these per-day weights from now on."""
        self.cum_weights = list(itertools.accumulate(max(floor, weights.get(d, floor)) for d in self.days))

    def pick(self, rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
        if self.cum_weights is not None and self.days and lo <= self.days[0] and hi >= self.days[-1]:
            return rng.choices(self.days, cum_weights=self.cum_weights)[0]
        return rng.choice(self.between(lo, hi))


def _office_instant(rng: random.Random, cal: Calendar, day: dt.date) -> dt.datetime:
    """A plausible counter time on ``day``: mornings busier, never in the last 10 minutes."""
    sessions = cal.sessions
    opening, closing = sessions[0] if len(sessions) == 1 or rng.random() < 0.6 else rng.choice(sessions[1:])
    start = opening.hour * 60 + opening.minute
    stop = max(start + 1, closing.hour * 60 + closing.minute - 10)
    minute = rng.randrange(start, stop)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60)).replace(tzinfo=cal.zone)


def _next_working(cal: Calendar, day: dt.date) -> dt.date:
    while not is_working_day(day, cal):
        day += dt.timedelta(days=1)
    return day
