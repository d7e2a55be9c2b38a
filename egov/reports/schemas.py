"""What the reports API answers, for the OpenAPI document: the same JSON the endpoints always gave.

Periods are ``{"from", "to"}``; ``from`` is a Python keyword, hence the alias, and the operations
answering a period serialise by alias."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class ReportUnitOut(Schema):
    id: int
    name: str


class ReportPeriodOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


class Ii06aUnitOut(ReportUnitOut):
    agency_code: str
    gso_code: str


class Ii06aColumnOut(Schema):
    key: str
    column: str = Field(description="The column's number on the printed form (W: withdrawn or stopped)")


class Ii06aCountsOut(Schema):
    """One line of form II.06a: dossiers counted in each column."""

    received_total: int
    received_online: int
    received_direct: int
    carried_over: int
    resolved_total: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    in_progress_total: int
    in_progress_within: int
    in_progress_overdue: int
    withdrawn_or_stopped: int


class Ii06aRowOut(Ii06aCountsOut):
    label: str = Field(description="The field of the procedures, or the level of the unit")


class Ii06aOut(Schema):
    form: Literal["II.06a"]
    unit: Ii06aUnitOut
    period: ReportPeriodOut
    group_by: Literal["field", "level"]
    columns: list[Ii06aColumnOut]
    rows: list[Ii06aRowOut]
    totals: Ii06aCountsOut
    refused_at_intake: int
    unit_of_count: Literal["dossier"]


class DashboardKpisOut(Schema):
    received: int
    received_online: int
    resolved: int
    resolved_in_time: int
    resolved_late: int
    overdue_now: int
    due_this_week: int
    on_time_rate: float | None = Field(description="Percent; null without resolved dossiers")
    online_share: float | None = Field(description="Percent; null without received dossiers")
    satisfaction: float | None = Field(description="Percent; null without ratings")
    rated: int


class DashboardMonthOut(Schema):
    month: dt.date = Field(description="The first day of the month")
    received: int
    resolved: int
    on_time_rate: float | None


class DashboardRankOut(Schema):
    label: str
    resolved: int
    late: int


class DashboardOut(Schema):
    unit: ReportUnitOut
    period: ReportPeriodOut
    kpis: DashboardKpisOut
    months: list[DashboardMonthOut]
    sub_units: list[DashboardRankOut]
    procedures: list[DashboardRankOut]
