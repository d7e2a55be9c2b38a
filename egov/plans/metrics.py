"""Named metrics over live data: integer counts for a unit (and everything below it) and a period.

Plan KPIs and the service index's indicators are ratios of two of these, named by key in data,
so a formula can change without a code change. Dossier metrics follow form II.06a's counting
conventions (``egov.reports.ii06a``), so the same number means the same thing on every page.
Catalogue metrics describe the catalogue as it is now (it keeps no history by period).
Metrics whose module does not exist yet are registered with ``measured=False`` and count 0:
they say so in their definition instead of inventing a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ChannelOption, OnlineLevel, ProcedureVersion, RequiredPaper, VersionStatus
from egov.dossiers.models import DossierFile, FileKind
from egov.orgs.models import Unit, UnitKind
from egov.reports.ii06a import base_queryset, column_filters
from egov.reports.periods import Period
from egov.reports.selectors import rollup


@dataclass(frozen=True)
class Metric:
    """A count over live data; ``source`` says where it comes from."""

    key: str
    label: Promise | str
    definition: Promise | str
    source: str  # "dossiers", "catalogue" or "none" (not measured yet)

    @property
    def measured(self) -> bool:
        return self.source != "none"

    def value(self, *, unit: Unit, period: Period, now: dt.datetime | None = None) -> int:
        """This metric for one unit (convenience; pages compute many at once with ``metric_values``)."""
        return metric_values(root=unit, units=[unit], period=period, keys=[self.key], now=now)[unit.pk][
            self.key
        ]


# ---------------------------------------------------------------- dossier metrics
# Each builds its filter from II.06a's column filters ``f`` for the period.


def _received(f: dict[str, Q]) -> Q:
    return f["received_online"] | f["received_direct"]


def _resolved(f: dict[str, Q]) -> Q:
    return f["resolved_early"] | f["resolved_on_time"] | f["resolved_late"]


def _has_file(*kinds: str) -> Q:
    return Q(Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), kind__in=list(kinds))))


DOSSIER_FILTERS: dict[str, Callable[[dict[str, Q]], Q]] = {
    "dossiers_received": _received,
    "dossiers_received_online": lambda f: f["received_online"],
    "dossiers_received_online_capable": lambda f: (
        _received(f) & Q(procedure_version__online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])
    ),
    "dossiers_resolved": _resolved,
    "dossiers_resolved_on_time": lambda f: f["resolved_early"] | f["resolved_on_time"],
    "dossiers_resolved_late": lambda f: f["resolved_late"],
    "dossiers_in_progress": lambda f: f["in_progress_within"] | f["in_progress_overdue"],
    "dossiers_in_progress_within": lambda f: f["in_progress_within"],
    "dossiers_with_scans": lambda f: _received(f) & _has_file(FileKind.SCAN, FileKind.SUPPLEMENT),
    "dossiers_resolved_with_result_file": lambda f: _resolved(f) & _has_file(FileKind.RESULT),
    "dossiers_with_fees": lambda f: _received(f) & Q(fees_collected__gt=0),
    # Ratings are given by applicants on the portal, once per finished dossier.
    "ratings_total": lambda f: _resolved(f) & Q(rating__isnull=False),
    "ratings_satisfied": lambda f: _resolved(f) & Q(rating__score__in=["very_satisfied", "satisfied"]),
}

# ---------------------------------------------------------------- catalogue metrics
# Each is a predicate over one published procedure version (a dict of its values).

CATALOGUE_TESTS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "procedures_published": lambda v: True,
    "procedures_published_complete": lambda v: bool(v["has_channels"] and v["has_papers"]),
    "procedures_full_online": lambda v: v["online_level"] == OnlineLevel.FULL,
    "procedures_legacy_level4": lambda v: v["legacy_level"] == 4,
    "procedures_online_capable": lambda v: v["online_level"] in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
    "procedures_with_fees": lambda v: bool(v["has_fee"]),
}

METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "dossiers_received",
            _("Dossiers received"),
            _("Dossiers newly received in the period (II.06a columns 4 + 5; not carried over)."),
            "dossiers",
        ),
        Metric(
            "dossiers_received_online",
            _("Dossiers received online"),
            _("Dossiers newly received in the period through the online channel (II.06a column 4)."),
            "dossiers",
        ),
        Metric(
            "dossiers_received_online_capable",
            _("Dossiers received for online-capable procedures"),
            _("Dossiers newly received in the period for procedure versions offered fully or partly online."),
            "dossiers",
        ),
        Metric(
            "dossiers_resolved",
            _("Dossiers resolved"),
            _("Dossiers decided in the period (II.06a column 7)."),
            "dossiers",
        ),
        Metric(
            "dossiers_resolved_on_time",
            _("Dossiers resolved early or on time"),
            _("Dossiers decided in the period before or at the legal due time (II.06a columns 8 + 9)."),
            "dossiers",
        ),
        Metric(
            "dossiers_resolved_late",
            _("Dossiers resolved late"),
            _("Dossiers decided in the period after the legal due time (II.06a column 10)."),
            "dossiers",
        ),
        Metric(
            "dossiers_in_progress",
            _("Dossiers in progress"),
            _("Dossiers not resolved, withdrawn or stopped at the end of the period (II.06a column 11)."),
            "dossiers",
        ),
        Metric(
            "dossiers_in_progress_within",
            _("Dossiers in progress within time"),
            _("Dossiers in progress at the end of the period and not past their legal due time (column 12)."),
            "dossiers",
        ),
        Metric(
            "dossiers_with_scans",
            _("Dossiers with scanned papers"),
            _(
                "Dossiers newly received in the period with at least one scanned or supplemented paper stored."
            ),
            "dossiers",
        ),
        Metric(
            "dossiers_resolved_with_result_file",
            _("Dossiers with an electronic result"),
            _("Dossiers decided in the period with the result document stored as a file."),
            "dossiers",
        ),
        Metric(
            "dossiers_with_fees",
            _("Dossiers with fees"),
            _("Dossiers newly received in the period with fees or charges collected."),
            "dossiers",
        ),
        Metric(
            "procedures_published",
            _("Procedures published"),
            _(
                "Procedures with a published version now, at the unit's handling level (all levels for a "
                "province). The catalogue keeps no history, so this ignores the period."
            ),
            "catalogue",
        ),
        Metric(
            "procedures_published_complete",
            _("Procedures published with complete details"),
            _(
                "Published procedures (as above) with at least one channel (time limit, fees) and one required paper."
            ),
            "catalogue",
        ),
        Metric(
            "procedures_full_online",
            _("Procedures fully online"),
            _("Published procedures (as above) offered fully online (toàn trình)."),
            "catalogue",
        ),
        Metric(
            "procedures_legacy_level4",
            _("Procedures at service level 4"),
            _("Published procedures (as above) classified at level 4 on the 2021 scale."),
            "catalogue",
        ),
        Metric(
            "procedures_online_capable",
            _("Procedures online"),
            _("Published procedures (as above) offered fully or partly online."),
            "catalogue",
        ),
        Metric(
            "procedures_with_fees",
            _("Procedures with fees"),
            _("Published procedures (as above) with a fee or charge on at least one channel."),
            "catalogue",
        ),
        Metric(
            "procedures_online_payment",
            _("Procedures payable online"),
            _("Always 0 for now: egov has no online payment (PayGov) integration yet."),
            "none",
        ),
        Metric(
            "dossiers_fees_paid_online",
            _("Dossiers paid online"),
            _("Always 0 for now: egov has no online payment (PayGov) integration yet."),
            "none",
        ),
        Metric(
            "dossiers_synced_national",
            _("Dossiers synchronised with the national portal"),
            _("Always 0 for now: the national public service portal integration is not built yet."),
            "none",
        ),
        Metric(
            "ratings_total",
            _("Ratings given"),
            _("Dossiers resolved in the period that their applicant rated on the portal."),
            "dossiers",
        ),
        Metric(
            "ratings_satisfied",
            _("Satisfied ratings"),
            _("Of those, rated very satisfied or satisfied."),
            "dossiers",
        ),
        Metric(
            "feedback_received",
            _("Feedback received"),
            _("Always 0 for now: egov does not take citizens' feedback and petitions yet."),
            "none",
        ),
        Metric(
            "feedback_answered",
            _("Feedback answered in time"),
            _("Always 0 for now: egov does not take citizens' feedback and petitions yet."),
            "none",
        ),
    ]
}
assert set(DOSSIER_FILTERS) == {k for k, m in METRICS.items() if m.source == "dossiers"}
assert set(CATALOGUE_TESTS) == {k for k, m in METRICS.items() if m.source == "catalogue"}


def _catalogue_rows() -> list[dict[str, Any]]:
    versions = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).annotate(
        has_channels=Exists(ChannelOption.objects.filter(version=OuterRef("pk"))),
        has_papers=Exists(RequiredPaper.objects.filter(version=OuterRef("pk"))),
        has_fee=Exists(ChannelOption.objects.filter(version=OuterRef("pk"), fee_amount__gt=0)),
    )
    fields = ("levels", "online_level", "legacy_level", "has_channels", "has_papers", "has_fee")
    return [dict(row) for row in versions.values(*fields)]


def _handled_by(unit: Unit, levels: Any) -> bool:
    return unit.kind == UnitKind.PROVINCE or unit.level in (levels or [])


def metric_values(
    *,
    root: Unit,
    units: list[Unit],
    period: Period,
    keys: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> dict[int, dict[str, int]]:
    """Every requested metric for every unit (each inside ``root``'s subtree, ``root`` included
    if wanted): one dossier query and one catalogue query, whatever the number of units."""
    wanted = list(keys) if keys is not None else list(METRICS)
    unknown = [k for k in wanted if k not in METRICS]
    if unknown:
        raise KeyError(", ".join(unknown))
    out: dict[int, dict[str, int]] = {u.pk: dict.fromkeys(wanted, 0) for u in units}
    dossier_keys = [k for k in wanted if METRICS[k].source == "dossiers"]
    if dossier_keys:
        f = column_filters(period, now=now or timezone.now())
        rows: Iterable[Mapping[str, Any]] = (
            base_queryset(root, period)
            .values("resolving_unit__path")
            .annotate(**{key: Count("pk", filter=DOSSIER_FILTERS[key](f)) for key in dossier_keys})
            .order_by()
        )
        summed = rollup(((r["resolving_unit__path"], {k: r[k] for k in dossier_keys}) for r in rows), units)
        for unit in units:
            out[unit.pk].update({k: summed[unit.pk].get(k, 0) for k in dossier_keys})
    catalogue_keys = [k for k in wanted if METRICS[k].source == "catalogue"]
    if catalogue_keys:
        versions = _catalogue_rows()
        for unit in units:
            handled = [v for v in versions if _handled_by(unit, v["levels"])]
            out[unit.pk].update({k: sum(1 for v in handled if CATALOGUE_TESTS[k](v)) for k in catalogue_keys})
    return out
