"""Exact working-day calendar for Vietnamese statutory deadlines (no Django imports).

Public API::

    from egov.workcal import Calendar, Limit, LimitUnit, due
    due(start=received_at, limit=Limit.working_days(5), cal=Calendar())

See docs/workcal.md for the clock rules and worked examples.
"""

from egov.workcal.clock import Pause, Status, classify, clock_start, due, elapsed
from egov.workcal.core import (
    DEFAULT_SESSIONS,
    MAKEUP_REASON,
    MAX_CALENDAR_DAYS,
    MAX_WORKING_DAYS,
    Calendar,
    DayInfo,
    Limit,
    LimitUnit,
    Override,
    WorkcalError,
    day_info,
    default_calendar,
    is_working_day,
    non_working_days,
)

__all__ = [
    "DEFAULT_SESSIONS",
    "MAKEUP_REASON",
    "MAX_CALENDAR_DAYS",
    "MAX_WORKING_DAYS",
    "Calendar",
    "DayInfo",
    "Limit",
    "LimitUnit",
    "Override",
    "Pause",
    "Status",
    "WorkcalError",
    "classify",
    "clock_start",
    "day_info",
    "default_calendar",
    "due",
    "elapsed",
    "is_working_day",
    "non_working_days",
]
