"""Scoring the service index (Bộ chỉ số phục vụ người dân, doanh nghiệp, Decision 766/QĐ-TTg).

Each indicator scores ``max_points × numerator / denominator`` (the ratio capped at 1; 0 points
and "no data" when the denominator is 0); a group scores the sum of its indicators; the total is
the sum of the groups (100 points when fully met). The sub-indicator formulas and the rating
thresholds below are UNCONFIRMED: indicators are data (``IndexIndicator`` rows) and the
thresholds are constants in one place, so either can follow the official guidance once known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.orgs.models import Unit
from egov.plans.metrics import METRICS, Metric, metric_values
from egov.plans.models import IndexGroup, IndexIndicator
from egov.reports.periods import Period

# UNCONFIRMED: minimum total for each rating, highest first; below the last one is "weak".
RATING_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "excellent"),
    (Decimal(70), "good"),
    (Decimal(50), "fair"),
    (Decimal(30), "average"),
)
RATING_BELOW = "weak"
RATING_LABELS: dict[str, Promise] = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "fair": _("Fair"),
    "average": _("Average"),
    "weak": _("Weak"),
}
CENT = Decimal("0.01")


def rating_for(total: Decimal) -> str:
    for minimum, rating in RATING_THRESHOLDS:
        if total >= minimum:
            return rating
    return RATING_BELOW


def indicator_points(*, max_points: Decimal, numerator: int, denominator: int) -> Decimal:
    """max_points × numerator / denominator, the ratio capped at 1; 0 without a denominator."""
    if denominator <= 0:
        return Decimal(0)
    ratio = min(Decimal(numerator) / Decimal(denominator), Decimal(1))
    return (max_points * ratio).quantize(CENT)


@dataclass
class IndicatorScore:
    indicator: IndexIndicator
    numerator: int
    denominator: int
    points: Decimal

    @property
    def has_data(self) -> bool:
        return self.denominator > 0

    @property
    def numerator_metric(self) -> Metric:
        return METRICS[self.indicator.numerator_metric]

    @property
    def denominator_metric(self) -> Metric:
        return METRICS[self.indicator.denominator_metric]

    @property
    def measured(self) -> bool:
        return self.numerator_metric.measured and self.denominator_metric.measured


@dataclass
class GroupScore:
    group: IndexGroup
    indicators: list[IndicatorScore] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))

    @property
    def indicators_max(self) -> Decimal:
        return sum((i.indicator.max_points for i in self.indicators), Decimal(0))

    @property
    def consistent(self) -> bool:
        """The indicators' maxima add up to the group's maximum (a check on the loaded data)."""
        return self.indicators_max == self.group.max_points


@dataclass
class UnitScore:
    unit: Unit
    groups: list[GroupScore]

    @property
    def total(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((g.group.max_points for g in self.groups), Decimal(0))

    @property
    def rating(self) -> str:
        return rating_for(self.total)

    @property
    def rating_label(self) -> Promise:
        return RATING_LABELS[self.rating]


def index_groups() -> list[IndexGroup]:
    return list(IndexGroup.objects.prefetch_related("indicators").order_by("order", "key"))


def score_units(
    *,
    root: Unit,
    units: list[Unit],
    period: Period,
    groups: list[IndexGroup] | None = None,
    now: dt.datetime | None = None,
) -> dict[int, UnitScore]:
    """The index for each unit (each inside ``root``'s subtree), from one metrics computation."""
    groups = index_groups() if groups is None else groups
    keys = sorted(
        {i.numerator_metric for g in groups for i in g.indicators.all()}
        | {i.denominator_metric for g in groups for i in g.indicators.all()}
    )
    values = metric_values(root=root, units=units, period=period, keys=keys, now=now)
    scores = {}
    for unit in units:
        v = values[unit.pk]
        group_scores = []
        for group in groups:
            score = GroupScore(group=group)
            for indicator in group.indicators.all():
                numerator, denominator = v[indicator.numerator_metric], v[indicator.denominator_metric]
                score.indicators.append(
                    IndicatorScore(
                        indicator=indicator,
                        numerator=numerator,
                        denominator=denominator,
                        points=indicator_points(
                            max_points=indicator.max_points, numerator=numerator, denominator=denominator
                        ),
                    )
                )
            group_scores.append(score)
        scores[unit.pk] = UnitScore(unit=unit, groups=group_scores)
    return scores
