"""Calendar model for statutory deadlines: which days are working days, and office hours.

This module is deliberately free of Django so it can be used from the CLI, from
background jobs and from tests without settings.  The clock arithmetic built on
top of it lives in :mod:`egov.workcal.clock`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_SESSIONS",
    "MAKEUP_REASON",
    "MAX_CALENDAR_DAYS",
    "MAX_WORKING_DAYS",
    "WEEKDAY_LABELS",
    "Calendar",
    "DayInfo",
    "Limit",
    "LimitUnit",
    "Override",
    "WorkcalError",
    "day_info",
    "default_calendar",
    "is_working_day",
    "non_working_days",
]

US_PER_SECOND: Final = 1_000_000
US_PER_HOUR: Final = 3600 * US_PER_SECOND
US_PER_DAY: Final = 24 * US_PER_HOUR

# "More than three years" is the sanity bound from the brief; working-day and
# working-hour limits get the same bound scaled by a five-day week so that no
# unit can smuggle in a longer horizon than another.
MAX_CALENDAR_DAYS: Final = 3 * 366
MAX_WORKING_DAYS: Final = MAX_CALENDAR_DAYS * 5 // 7

# Labels are fixed English strings rather than calendar.day_name, which follows
# the process locale and would make output differ between machines.
WEEKDAY_LABELS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Reasons are data shown to Vietnamese users, like the package's holiday names.
MAKEUP_REASON: Final = "Ngày làm việc bù"

DEFAULT_SESSIONS: Final[tuple[tuple[dt.time, dt.time], ...]] = (
    (dt.time(7, 0), dt.time(11, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)

# The package's substitute-day label embeds the swapped date in this format when
# the Vietnamese translation is used ("Ngày nghỉ (thay cho ngày 26/04/2025)").
_VI_SUBSTITUTED_DATE_FORMAT: Final = "%d/%m/%Y"


class WorkcalError(ValueError):
    """Invalid calendar, limit, pause or date given to :mod:`egov.workcal`."""


class LimitUnit(enum.StrEnum):
    """Unit in which a statutory time limit is expressed."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class Override:
    """A locally decided exception to the package's holiday data.

    ``working=False`` adds a day off (e.g. a provincial decision), ``working=True``
    turns a holiday or weekend into a working day (e.g. a make-up Saturday the
    package does not know yet).  Overrides always win over the package.
    """

    date: dt.date
    working: bool
    reason: str
    legal_basis: str = ""

    def __post_init__(self) -> None:
        # datetime is a date subclass; accepting it would silently drop the time part.
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise WorkcalError(f"override date must be a datetime.date, got {self.date!r}")
        if not isinstance(self.working, bool):
            raise WorkcalError(f"override 'working' must be a bool, got {self.working!r}")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise WorkcalError(f"override for {self.date.isoformat()} needs a non-empty reason")


@dataclass(frozen=True)
class DayInfo:
    """Whether ``date`` is a working day and why (empty reason for an ordinary working day)."""

    date: dt.date
    working: bool
    reason: str


@dataclass(frozen=True)
class Limit:
    """A statutory time limit, e.g. ``Limit(5, LimitUnit.WORKING_DAYS)``."""

    amount: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        # bool is an int subclass; Limit(True, ...) is almost certainly a bug.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise WorkcalError(f"limit amount must be an integer, got {self.amount!r}")
        if self.amount <= 0:
            raise WorkcalError(f"limit amount must be positive, got {self.amount}")
        try:
            unit = LimitUnit(self.unit)
        except ValueError:
            raise WorkcalError(f"unknown limit unit {self.unit!r}") from None
        object.__setattr__(self, "unit", unit)

    @classmethod
    def working_days(cls, amount: int) -> Limit:
        """Shorthand for ``Limit(amount, LimitUnit.WORKING_DAYS)``."""
        return cls(amount, LimitUnit.WORKING_DAYS)

    @classmethod
    def working_hours(cls, amount: int) -> Limit:
        """Shorthand for ``Limit(amount, LimitUnit.WORKING_HOURS)``."""
        return cls(amount, LimitUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, amount: int) -> Limit:
        """Shorthand for ``Limit(amount, LimitUnit.CALENDAR_DAYS)``."""
        return cls(amount, LimitUnit.CALENDAR_DAYS)

    def office_time(self, cal: Calendar) -> dt.timedelta:
        """Office time this limit stands for (rule 1); undefined for calendar days."""
        return dt.timedelta(microseconds=self._office_us(cal))

    def _office_us(self, cal: Calendar) -> int:
        if self.unit is LimitUnit.WORKING_DAYS:
            return self.amount * cal._day_us
        if self.unit is LimitUnit.WORKING_HOURS:
            return self.amount * US_PER_HOUR
        raise WorkcalError("a calendar-day limit is not an amount of office time")

    def check_bounds(self, cal: Calendar) -> None:
        """Reject limits longer than about three years (almost certainly a data-entry error)."""
        if self.unit is LimitUnit.CALENDAR_DAYS:
            maximum = MAX_CALENDAR_DAYS
        elif self.unit is LimitUnit.WORKING_DAYS:
            maximum = MAX_WORKING_DAYS
        else:
            maximum = MAX_WORKING_DAYS * cal._day_us // US_PER_HOUR
        if self.amount > maximum:
            raise WorkcalError(
                f"limit of {self.amount} {self.unit.value} is absurd (more than three years; "
                f"maximum is {maximum})"
            )


class _YearTable:
    """Precomputed working-day data for one calendar year of one Calendar.

    ``prefix[i]`` counts working days strictly before day-of-year ``i`` (0-based), so
    office time between two instants of the year is O(1) and the n-th working day is
    ``workdays[n]``: this is what keeps ``due`` away from per-call package lookups.
    """

    __slots__ = ("first_ordinal", "prefix", "reasons", "total", "workdays", "working", "year")

    def __init__(
        self, year: int, first_ordinal: int, working: bytes, reasons: dict[int, str], day_us: int
    ) -> None:
        self.year = year
        self.first_ordinal = first_ordinal
        self.working = working
        self.reasons = reasons
        prefix = [0] * (len(working) + 1)
        count = 0
        workdays: list[int] = []
        for i, flag in enumerate(working):
            prefix[i] = count
            if flag:
                workdays.append(i)
                count += 1
        prefix[len(working)] = count
        self.prefix = prefix
        self.workdays = workdays
        self.total = count * day_us


@lru_cache(maxsize=64)
def _country_meta(country: str) -> tuple[str | None, int, int]:
    """Language to request and the year range the package has data for."""
    try:
        probe = holidays.country_holidays(country)
    except NotImplementedError:
        raise WorkcalError(f"country {country!r} is not supported by the holidays package") from None
    language = "vi" if "vi" in probe.supported_languages else None
    return language, probe.start_year, probe.end_year


@lru_cache(maxsize=1024)
def _package_year(country: str, year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """Holiday names and make-up working days the package reports for one year.

    Cached across Calendar instances: building a package object costs milliseconds.
    """
    language, _, _ = _country_meta(country)
    data = holidays.country_holidays(country, years=year, language=language)
    return dict(data.items()), frozenset(data.weekend_workdays)


@dataclass(frozen=True)
class Calendar:
    """Working-day calendar: weekly rest days, office sessions, time zone and local overrides.

    Public holidays (including the extra Tết days, substitute days off and make-up
    working Saturdays) come from the ``holidays`` package; ``overrides`` win over it.
    Instances are immutable and hashable; per-year tables are cached on the instance.
    """

    country: str = "VN"
    rest_weekdays: frozenset[int] = frozenset({5, 6})
    sessions: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_SESSIONS
    tz: str = "Asia/Ho_Chi_Minh"
    overrides: tuple[Override, ...] = ()

    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _session_us: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    _day_us: int = field(init=False, repr=False, compare=False)
    _close: dt.time = field(init=False, repr=False, compare=False)
    _override_map: dict[dt.date, Override] = field(init=False, repr=False, compare=False)
    _years: dict[int, _YearTable] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        if not isinstance(self.country, str) or not self.country:
            raise WorkcalError("country must be a non-empty ISO 3166 code")
        setattr_(self, "country", self.country.upper())

        # Accept any iterable so callers can pass {5, 6} or [6]; store a frozenset
        # so the Calendar stays hashable.
        rest = frozenset(self.rest_weekdays)
        if any(isinstance(w, bool) or not isinstance(w, int) or not 0 <= w <= 6 for w in rest):
            raise WorkcalError("rest_weekdays must contain weekday numbers 0 (Monday) to 6 (Sunday)")
        if len(rest) == 7:
            raise WorkcalError("rest_weekdays cannot cover the whole week")
        setattr_(self, "rest_weekdays", rest)

        sessions = tuple(tuple(s) for s in self.sessions)
        session_us = _validate_sessions(sessions)
        setattr_(self, "sessions", sessions)
        setattr_(self, "_session_us", session_us)
        setattr_(self, "_day_us", sum(e - s for s, e in session_us))
        setattr_(self, "_close", sessions[-1][1])

        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise WorkcalError(f"unknown time zone {self.tz!r}") from None
        setattr_(self, "_zone", zone)

        overrides = tuple(sorted(self.overrides, key=lambda o: o.date))
        override_map: dict[dt.date, Override] = {}
        for override in overrides:
            if not isinstance(override, Override):
                raise WorkcalError(f"overrides must be Override instances, got {override!r}")
            if override.date in override_map:
                raise WorkcalError(f"more than one override for {override.date.isoformat()}")
            override_map[override.date] = override
        setattr_(self, "overrides", overrides)
        setattr_(self, "_override_map", override_map)
        setattr_(self, "_years", {})

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone as a ZoneInfo."""
        return self._zone

    @property
    def day_length(self) -> dt.timedelta:
        """Office time in one working day (8 hours with the default sessions)."""
        return dt.timedelta(microseconds=self._day_us)

    @property
    def supported_years(self) -> tuple[int, int]:
        """First and last year the holidays package has data for (inclusive)."""
        _, first, last = _country_meta(self.country)
        return first, last

    def _table(self, year: int) -> _YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._build_year(year)
            self._years[year] = table
        return table

    def _build_year(self, year: int) -> _YearTable:
        language, first_year, last_year = _country_meta(self.country)
        # Outside its range the package silently returns no holidays at all, which
        # would make every weekday a working day: refuse instead.
        if not first_year <= year <= last_year:
            raise WorkcalError(
                f"year {year} is outside the range covered by the holidays data ({first_year}-{last_year})"
            )
        names: dict[dt.date, str] = {}
        makeup: set[dt.date] = set()
        # A swap may cross a year boundary (2015-01-02 off for 2014-12-27 worked), and
        # the package files it under the year of the day off, so look at neighbours too.
        for y in (year - 1, year, year + 1):
            if first_year <= y <= last_year:
                year_names, year_makeup = _package_year(self.country, y)
                names.update(year_names)
                makeup.update(year_makeup)

        start = dt.date(year, 1, 1)
        first_ordinal = start.toordinal()
        n_days = dt.date(year, 12, 31).toordinal() - first_ordinal + 1
        first_weekday = start.weekday()
        working = bytearray(n_days)
        reasons: dict[int, str] = {}
        for i in range(n_days):
            day = dt.date.fromordinal(first_ordinal + i)
            weekday = (first_weekday + i) % 7
            override = self._override_map.get(day)
            if override is not None:
                is_working, reason = override.working, override.reason
            elif day in names:
                is_working, reason = False, names[day]
            elif weekday in self.rest_weekdays:
                if day in makeup:
                    is_working, reason = True, _makeup_reason(day, names, language)
                else:
                    is_working, reason = False, WEEKDAY_LABELS[weekday]
            else:
                is_working, reason = True, ""
            working[i] = is_working
            if reason:
                reasons[i] = reason
        return _YearTable(year, first_ordinal, bytes(working), reasons, self._day_us)

    def _is_working(self, day: dt.date) -> bool:
        table = self._table(day.year)
        return bool(table.working[day.toordinal() - table.first_ordinal])


def _validate_sessions(sessions: tuple[tuple[dt.time, ...], ...]) -> tuple[tuple[int, int], ...]:
    if not sessions:
        raise WorkcalError("sessions must contain at least one (open, close) pair")
    result: list[tuple[int, int]] = []
    for session in sessions:
        if len(session) != 2 or not all(isinstance(t, dt.time) for t in session):
            raise WorkcalError(f"each session must be a pair of datetime.time, got {session!r}")
        opening, closing = session
        if opening.tzinfo is not None or closing.tzinfo is not None:
            raise WorkcalError("session times must be naive (they are wall-clock times in the calendar's tz)")
        start_us, end_us = _time_us(opening), _time_us(closing)
        if end_us <= start_us:
            raise WorkcalError(
                f"session {opening.isoformat()}-{closing.isoformat()} must close after it opens"
            )
        if result:
            prev_start, prev_end = result[-1]
            if start_us < prev_start:
                raise WorkcalError("sessions must be sorted by opening time")
            if start_us < prev_end:
                raise WorkcalError(f"session opening at {opening.isoformat()} overlaps the previous one")
        result.append((start_us, end_us))
    return tuple(result)


def _time_us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US_PER_SECOND + t.microsecond


def _makeup_reason(day: dt.date, names: dict[dt.date, str], language: str | None) -> str:
    # Name the day off it pays for, when the (Vietnamese) substitute label lets us find it.
    if language == "vi":
        needle = day.strftime(_VI_SUBSTITUTED_DATE_FORMAT)
        for other, name in sorted(names.items()):
            if needle in name:
                return f"{MAKEUP_REASON} (cho ngày nghỉ {other:%d/%m/%Y})"
    return MAKEUP_REASON


@lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """The shared default ``Calendar()`` (Vietnam, Mon-Fri, 07-11 and 13-17)."""
    return Calendar()


def _check_date(d: object) -> dt.date:
    if isinstance(d, dt.datetime):
        return d.date()
    if not isinstance(d, dt.date):
        raise WorkcalError(f"expected a date, got {d!r}")
    return d


def is_working_day(d: dt.date, cal: Calendar | None = None) -> bool:
    """Whether ``d`` is a working day (overrides, then package holidays, then weekly rest days)."""
    return (cal or default_calendar())._is_working(_check_date(d))


def day_info(d: dt.date, cal: Calendar | None = None) -> DayInfo:
    """Working status of ``d`` with the reason.

    The reason is the override reason, the package's holiday name, the weekday
    name for a weekly rest day ("Saturday"), "make-up working day (swapped with
    …)" for a make-up Saturday, or "" for an ordinary working day.
    """
    cal = cal or default_calendar()
    d = _check_date(d)
    table = cal._table(d.year)
    i = d.toordinal() - table.first_ordinal
    return DayInfo(d, bool(table.working[i]), table.reasons.get(i, ""))


def non_working_days(year: int, cal: Calendar | None = None) -> list[DayInfo]:
    """Every date of ``year`` that is not a working day, in date order, with its reason."""
    cal = cal or default_calendar()
    if isinstance(year, bool) or not isinstance(year, int):
        raise WorkcalError(f"year must be an integer, got {year!r}")
    table = cal._table(year)
    return [
        DayInfo(dt.date.fromordinal(table.first_ordinal + i), False, table.reasons.get(i, ""))
        for i, flag in enumerate(table.working)
        if not flag
    ]
