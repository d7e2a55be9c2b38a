"""What the plan's API answers, for the OpenAPI document: the same JSON the endpoints always gave."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field


class PlanUnitOut(Schema):
    id: int
    name: str


class KpiTargetOut(Schema):
    key: str
    indicator: str
    target: float | None
    baseline: float | None
    value: float | None = Field(description="Percent; null without data")
    status: Literal["met", "not_met", "no_data", "no_target", "not_measured"]
    numerator: int
    denominator: int


class KpisOut(Schema):
    plan: str = Field(description="The plan's code (the first plan when none was asked for)")
    unit: PlanUnitOut
    targets: list[KpiTargetOut]


class Index766IndicatorOut(Schema):
    key: str
    name: str
    points: float
    max_points: float
    numerator: int
    denominator: int
    has_data: bool


class Index766GroupOut(Schema):
    key: str
    name: str
    points: float
    max_points: float
    indicators: list[Index766IndicatorOut]


class Index766Out(Schema):
    unit: PlanUnitOut
    total: float
    maximum: float
    rating: Literal["excellent", "good", "fair", "average", "weak"]
    groups: list[Index766GroupOut]
