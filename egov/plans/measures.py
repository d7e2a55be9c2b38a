"""Live measures of plan targets: for each target key egov can measure from its own data today,
a percentage numerator / denominator over named metrics (``egov.plans.metrics``).

Targets without a measure are shown as not measured, with the module that is missing. Every
target is read as a minimum (met when the live value is at least the target).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.documents import stats as document_stats
from egov.orgs.models import Unit
from egov.plans.metrics import metric_values
from egov.plans.models import PlanTarget
from egov.reports.periods import Period
from egov.reports.selectors import percent


@dataclass(frozen=True)
class Measure:
    """value = 100 × numerator / denominator; ``also`` is a second view of the same target."""

    numerator: str
    denominator: str
    definition: Promise | str
    also: tuple[Promise | str, str, str] | None = None


MEASURES: dict[str, Measure] = {
    "dossiers_online_share": Measure(
        "dossiers_received_online",
        "dossiers_received",
        _(
            "Dossiers received online / all dossiers newly received in the period (II.06a columns 4 / (4 + 5))."
        ),
    ),
    "services_level4_share": Measure(
        "procedures_full_online",
        "procedures_published",
        _(
            "Published procedures offered fully online (toàn trình) / all published procedures, at the "
            "unit's handling level (all levels for a province), as the catalogue stands now."
        ),
        also=(_("level 4 on the 2021 scale"), "procedures_legacy_level4", "procedures_published"),
    ),
    "on_time_rate": Measure(
        "dossiers_resolved_on_time",
        "dossiers_resolved",
        _("Dossiers resolved early or on time / all dossiers resolved in the period (II.06a (8 + 9) / 7)."),
    ),
}

NOT_MEASURED: dict[str, Promise | str] = {
    "reports_on_system": _("Not measured yet: periodic report submissions are not built."),
    "meetings_on_system_province": _("Not measured yet: the meeting module is not built."),
    "meetings_on_system_district": _("Not measured yet: the meeting module is not built."),
    "transactions_e_authenticated": _(
        "Not measured yet: sign-in through SSO / electronic identification (eID) is not built."
    ),
    "services_integrated_national": _("Not measured yet: the national portal integration is not built."),
    "satisfaction": _("Not measured yet: citizens cannot rate their dossiers yet."),
}
NOT_BUILT = _("Not measured yet (module not built).")

# Targets measured by the document system (``egov.documents.stats.plan_measures``), with their
# definitions there.
DOCUMENT_MEASURES: dict[str, Promise | str] = {
    "docs_electronic_share": document_stats.PLAN_DEFINITIONS["docs_electronic_share"],
    "workfiles_online_province": document_stats.PLAN_DEFINITIONS["workfiles_online"],
    "workfiles_online_district": document_stats.PLAN_DEFINITIONS["workfiles_online"],
    "workfiles_online_commune": document_stats.PLAN_DEFINITIONS["workfiles_online"],
}


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"
    NOT_MEASURED = "not_measured"


@dataclass
class TargetRow:
    target: PlanTarget
    status: str
    value: Decimal | None = None
    numerator: int = 0
    denominator: int = 0
    definition: Promise | str = ""
    also_label: Promise | str = ""
    also_value: Decimal | None = None

    @property
    def vs_baseline(self) -> Decimal | None:
        if self.value is None or self.target.baseline is None:
            return None
        return self.value - self.target.baseline

    @property
    def baseline_gap(self) -> Decimal | None:
        """How far from the baseline, in percentage points, whichever side."""
        return None if self.vs_baseline is None else abs(self.vs_baseline)


def status_for(value: Decimal | None, target: Decimal | None) -> str:
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    return Status.MET if value >= target else Status.NOT_MET


def kpi_rows(
    *, targets: list[PlanTarget], unit: Unit, period: Period, now: dt.datetime | None = None
) -> list[TargetRow]:
    """Every target with its live value for the unit and period (two queries for all of them)."""
    keys: set[str] = set()
    for target in targets:
        measure = MEASURES.get(target.key)
        if measure is not None:
            keys |= {measure.numerator, measure.denominator}
            if measure.also:
                keys |= {measure.also[1], measure.also[2]}
    values = metric_values(root=unit, units=[unit], period=period, keys=sorted(keys), now=now)[unit.pk]
    documents = (
        document_stats.plan_measures(root=unit, start=period.start, end=period.end)
        if any(t.key in DOCUMENT_MEASURES for t in targets)
        else {}
    )
    rows = []
    for target in targets:
        measure = MEASURES.get(target.key)
        if target.key in documents:
            share = documents[target.key]
            rows.append(
                TargetRow(
                    target=target,
                    status=status_for(share.value, target.target),
                    value=share.value,
                    numerator=share.numerator,
                    denominator=share.denominator,
                    definition=DOCUMENT_MEASURES[target.key],
                )
            )
            continue
        if measure is None:
            rows.append(
                TargetRow(
                    target=target,
                    status=Status.NOT_MEASURED,
                    definition=NOT_MEASURED.get(target.key, NOT_BUILT),
                )
            )
            continue
        numerator, denominator = values[measure.numerator], values[measure.denominator]
        value = percent(numerator, denominator)
        row = TargetRow(
            target=target,
            status=status_for(value, target.target),
            value=value,
            numerator=numerator,
            denominator=denominator,
            definition=measure.definition,
        )
        if measure.also:
            row.also_label = measure.also[0]
            row.also_value = percent(values[measure.also[1]], values[measure.also[2]])
        rows.append(row)
    return rows
