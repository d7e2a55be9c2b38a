"""Form II.06a (Circular 01/2020/TT-VPCP): situation and results of handling administrative
procedures for a unit (with everything below it) and a period, rows by field or by level.

Counting conventions (also printed under the report):
- A dossier belongs to the unit that resolves it (and to every unit above that one).
- Dossiers refused at intake and online submissions not yet accepted are not counted.
- Received (3) = new online (4) + new direct or postal (5) + carried over (6): dossiers received
  before the period and not resolved, withdrawn or stopped before it starts.
- Resolved (7–10): decisions recorded in the period, classified early / on time / late against
  the legal due time (an extension never makes a dossier on time).
- In progress (11–13): not resolved, withdrawn or stopped by the end of the period; overdue if its
  legal due time passed before the end of the period (or now, if sooner). Dossiers currently
  waiting for a supplement, a payment or another agency are counted within time.
- Withdrawn or stopped in the period are shown in a separate column, so 3 = 7 + 11 + withdrawn/stopped.
- After a reorganisation, a successor unit can be reported with the history of the units it took
  over from (their default successor links), each dossier counted once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from egov.catalog.models import Channel
from egov.dossiers.models import PAUSED_STATES, Dossier, DossierState
from egov.orgs.models import Unit, UnitLevel, UnitSuccession
from egov.reports.periods import Period

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMNS = [
    ("received_total", "3"),
    ("received_online", "4"),
    ("received_direct", "5"),
    ("carried_over", "6"),
    ("resolved_total", "7"),
    ("resolved_early", "8"),
    ("resolved_on_time", "9"),
    ("resolved_late", "10"),
    ("in_progress_total", "11"),
    ("in_progress_within", "12"),
    ("in_progress_overdue", "13"),
    ("withdrawn_or_stopped", "W"),
]
COUNTED = [
    "received_online",
    "received_direct",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_within",
    "in_progress_overdue",
    "withdrawn_or_stopped",
]


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=VN)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=VN)
    return start, end


def column_filters(period: Period, *, now: dt.datetime | None = None) -> dict[str, Q]:
    """One Q per counted column, over the dossiers returned by ``base_queryset``."""
    start, end = _bounds(period)
    cutoff = min(end, now or timezone.now())
    new = Q(received_at__gte=start)
    open_at_end = (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)) & (
        Q(terminated_at__isnull=True) | Q(terminated_at__gte=end)
    )
    paused_now = Q(state__in=list(PAUSED_STATES))
    overdue = open_at_end & Q(statutory_due_at__lt=cutoff) & ~paused_now
    return {
        "received_online": new & Q(channel=Channel.ONLINE),
        "received_direct": new & ~Q(channel=Channel.ONLINE),
        "carried_over": Q(received_at__lt=start),
        "resolved_early": Q(resolved_at__gte=start, resolved_at__lt=end, timeliness="early"),
        "resolved_on_time": Q(resolved_at__gte=start, resolved_at__lt=end, timeliness="on_time"),
        "resolved_late": Q(resolved_at__gte=start, resolved_at__lt=end, timeliness="late"),
        "in_progress_within": open_at_end & ~overdue,
        "in_progress_overdue": overdue,
        "withdrawn_or_stopped": Q(terminated_at__gte=start, terminated_at__lt=end),
    }


def unit_ids_for(unit: Unit, *, with_predecessors: bool = False) -> list[int]:
    """The unit and everything below it; with ``with_predecessors`` also the units it took over
    from in reorganisations (their default successor links only, so a split unit's history is
    counted once), and everything below those."""
    ids = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    if with_predecessors:
        frontier = set(ids)
        while frontier:
            links = UnitSuccession.objects.filter(successor_id__in=frontier, is_default=True)
            paths = [
                p
                for p in Unit.objects.filter(pk__in=links.values("predecessor_id")).values_list(
                    "path", flat=True
                )
            ]
            found = set(Unit.objects.in_subtrees(paths).values_list("pk", flat=True)) if paths else set()
            frontier = found - ids
            ids |= found
    return sorted(ids)


def base_queryset(unit: Unit, period: Period, *, with_predecessors: bool = False) -> QuerySet[Dossier]:
    """Dossiers that are part of the period's workload for the unit."""
    start, end = _bounds(period)
    not_closed_before = (Q(resolved_at__isnull=True) | Q(resolved_at__gte=start)) & (
        Q(terminated_at__isnull=True) | Q(terminated_at__gte=start)
    )
    # The subtree's unit ids first (a few hundred at most): the dossier filter is then an
    # indexed IN on (resolving_unit, received_at) instead of a join on the path.
    unit_ids = unit_ids_for(unit, with_predecessors=with_predecessors)
    return (
        Dossier.objects.filter(resolving_unit_id__in=unit_ids, received_at__lt=end)
        .exclude(state__in=[DossierState.REGISTERED, DossierState.REFUSED])
        .filter(not_closed_before)
    )


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    unit: Unit
    period: Period
    group_by: str
    rows: list[Row]
    totals: dict[str, int]
    refused_at_intake: int

    def as_json(self) -> dict[str, Any]:
        return {
            "form": "II.06a",
            "unit": {
                "id": self.unit.pk,
                "name": self.unit.name,
                "agency_code": self.unit.agency_code,
                "gso_code": self.unit.gso_code,
            },
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "group_by": self.group_by,
            "columns": [{"key": key, "column": number} for key, number in COLUMNS],
            "rows": [{"label": r.label, **r.values} for r in self.rows],
            "totals": self.totals,
            "refused_at_intake": self.refused_at_intake,
            "unit_of_count": "dossier",
        }


def _complete(values: Mapping[str, Any]) -> dict[str, int]:
    v = {key: int(values.get(key) or 0) for key in COUNTED}
    v["resolved_total"] = v["resolved_early"] + v["resolved_on_time"] + v["resolved_late"]
    v["in_progress_total"] = v["in_progress_within"] + v["in_progress_overdue"]
    v["received_total"] = v["received_online"] + v["received_direct"] + v["carried_over"]
    return {key: v[key] for key, _n in COLUMNS}


def ii06a(
    *,
    unit: Unit,
    period: Period,
    group_by: str = "field",
    now: dt.datetime | None = None,
    with_predecessors: bool = False,
) -> Report:
    """Compute the report in one aggregate query (plus one for refusals)."""
    group = {"field": F("procedure_version__field__name"), "level": F("level")}[group_by]
    filters = column_filters(period, now=now)
    aggregates = {key: Count("pk", filter=q) for key, q in filters.items()}
    raw = (
        base_queryset(unit, period, with_predecessors=with_predecessors)
        .annotate(group=group)
        .values("group")
        .annotate(**aggregates)
        .order_by("group")
    )
    rows = [Row(key=str(r["group"]), label=str(r["group"]), values=_complete(r)) for r in raw]
    totals = _complete({key: sum(r.values[key] for r in rows) for key in COUNTED})
    start, end = _bounds(period)
    refused = Dossier.objects.filter(
        resolving_unit_id__in=unit_ids_for(unit, with_predecessors=with_predecessors),
        state=DossierState.REFUSED,
        received_at__gte=start,
        received_at__lt=end,
    ).count()
    if group_by == "level":
        labels = dict(UnitLevel.choices)
        for row in rows:
            row.label = str(labels.get(row.label, row.label))
    return Report(
        unit=unit, period=period, group_by=group_by, rows=rows, totals=totals, refused_at_intake=refused
    )


def drill_down(
    *,
    unit: Unit,
    period: Period,
    column: str,
    group_by: str = "field",
    group: str = "",
    now: dt.datetime | None = None,
    with_predecessors: bool = False,
) -> QuerySet[Dossier]:
    """The dossiers behind one number of the report."""
    filters = column_filters(period, now=now)
    composite = {
        "resolved_total": filters["resolved_early"] | filters["resolved_on_time"] | filters["resolved_late"],
        "in_progress_total": filters["in_progress_within"] | filters["in_progress_overdue"],
        "received_total": Q(),
    }
    q = filters.get(column, composite.get(column))
    if q is None:
        raise KeyError(column)
    qs = base_queryset(unit, period, with_predecessors=with_predecessors).filter(q)
    if group:
        qs = qs.filter(**{"procedure_version__field__name" if group_by == "field" else "level": group})
    return qs
