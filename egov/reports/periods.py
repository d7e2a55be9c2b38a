"""Reporting periods: calendar periods and the reporting regime's cut-off windows (15th → 14th)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

KINDS = ("month", "quarter", "half", "nine_months", "year")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        if (self.end - self.start).days > 5 * 366:
            raise ValueError("the period is longer than five years")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_for(kind: str, year: int, number: int = 1, *, cutoff: bool = False) -> Period:
    """Calendar period, or with ``cutoff`` the Decree 09/2019 window ending on the 14th
    (the window starts on the 15th of the month before its first month)."""
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    if kind == "month":
        first, last = number, number
    elif kind == "quarter":
        if not 1 <= number <= 4:
            raise ValueError("quarter must be 1–4")
        first, last = 3 * number - 2, 3 * number
    elif kind == "half":
        first, last = (1, 6) if number == 1 else (7, 12)
    elif kind == "nine_months":
        first, last = 1, 9
    else:
        first, last = 1, 12
    if not 1 <= first <= 12:
        raise ValueError("month must be 1–12")
    if not cutoff:
        return Period(dt.date(year, first, 1), _month_end(year, last))
    prev_year, prev_month = (year - 1, 12) if first == 1 else (year, first - 1)
    if kind in {"half", "nine_months", "year"}:
        prev_year, prev_month = year - 1, 12
        if kind == "half" and number == 2:
            prev_year, prev_month = year, 6
    return Period(dt.date(prev_year, prev_month, 15), dt.date(year, last, 14))


class PeriodFormMixin:
    """For forms (here so that plans' forms need not import reports' forms). Checks a ``start``/``end`` pair and puts the ``Period`` in ``cleaned_data["period"]``."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            try:
                cleaned["period"] = Period(start, end)
            except ValueError:
                if end < start:
                    self.add_error("end", _("The period ends before it starts."))  # type: ignore[attr-defined]
                else:
                    self.add_error("end", _("The period is longer than five years."))  # type: ignore[attr-defined]
        return cleaned
