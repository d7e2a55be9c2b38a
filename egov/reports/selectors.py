"""Which units a user may report on, and the numbers of the leaders' dashboard.

The leaders' dashboard: live indicators of one unit (and everything below it) over the last
twelve months, computed from the dossiers it resolves with a bounded number of aggregate queries.

Counting follows form II.06a (``egov.reports.ii06a``): a dossier belongs to the unit that
resolves it and to every unit above that one; refused-at-intake and not-yet-accepted online
submissions are not counted; "received" means newly received in the window (not carried over);
timeliness is against the legal due time. See docs/statistics.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.dossiers.models import Dossier, DossierState
from egov.orgs.models import Unit, UnitKind, UnitQuerySet
from egov.reports.ii06a import VN, base_queryset, column_filters
from egov.reports.periods import Period


def report_units_for(user: Visitor) -> UnitQuerySet:
    """Units the user may report on: those under any role they hold; everything for system admins."""
    if is_system_admin(user):
        return Unit.objects.all()
    if not is_staff_user(user):
        return Unit.objects.none()
    return Unit.objects.in_subtrees(role_paths(user, {r.value for r in Role}))


def report_unit_for_statistics(*, user: Visitor, unit_id: int | None = None, code: str = "") -> Unit:
    """The unit a statistics request names (by id, else by agency identifier / statistics code):
    PermissionDenied for anyone who is not a civil servant, 404 for a unit outside their reach."""
    if not is_staff_user(user):
        raise PermissionDenied(_("Statistics are for civil servants."))
    return report_unit_get(user=user, pk=unit_id or None, code=code)


def report_unit_get(*, user: Visitor, pk: int | None = None, code: str = "") -> Unit:
    """A unit by id, or by agency identifier / statistics code (current units first), if the user
    may report on it; 404 otherwise."""
    qs = report_units_for(user)
    if pk is not None:
        unit = qs.filter(pk=pk).first()
    else:
        unit = (
            (
                qs.filter(agency_code=code).order_by("valid_to").first()
                or qs.filter(gso_code=code).order_by("valid_to").first()
            )
            if code
            else None
        )
    if unit is None:
        raise Http404
    return unit


# Units a leader picks from (the same kinds the II.06a drill-down accepts).
DASHBOARD_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.PEOPLES_COMMITTEE,
    UnitKind.DEPARTMENT,
)
TOP_PROCEDURES = 10
MONTHS = 12


# ---------------------------------------------------------------- units


def _depth(unit: Unit) -> int:
    return unit.path.count("/")


def unit_choices_for(user: Visitor, *, today: dt.date | None = None) -> list[Unit]:
    """Current units the user may see statistics of, in tree order; falls back to any of their
    units when they hold roles only in one-stop departments or divisions."""
    today = today or timezone.localdate()
    units = report_units_for(user).valid_on(today)
    chosen = list(units.filter(kind__in=DASHBOARD_KINDS).order_by("path"))
    return chosen or list(units.order_by("path"))


def default_unit_for(user: Visitor, units: list[Unit]) -> Unit | None:
    """The current province for system administrators, otherwise the user's highest unit."""
    if not units:
        return None
    if is_system_admin(user):
        province = next((u for u in units if u.kind == UnitKind.PROVINCE), None)
        if province is not None:
            return province
    return min(units, key=lambda u: (_depth(u), u.path))


def unit_choice_labels(units: list[Unit]) -> list[tuple[int, str]]:
    """Select options indented by depth, so a long list reads as a tree."""
    top = min((_depth(u) for u in units), default=0)
    return [(u.pk, "\u2014 " * (_depth(u) - top) + u.name) for u in units]


def sub_units(unit: Unit) -> list[Unit]:
    """The direct children that resolve work: areas and agencies, not one-stop departments (they
    receive; the agency above them resolves). Closed children are included: their history counts."""
    return list(
        Unit.objects.filter(parent=unit).exclude(kind=UnitKind.ONE_STOP).order_by("sort_order", "name", "pk")
    )


def rollup(rows: Iterable[tuple[str, dict[str, int]]], units: list[Unit]) -> dict[int, dict[str, int]]:
    """Sum per-resolving-unit counts into each given unit's subtree (a unit counts everything
    resolved by it and below it)."""
    totals: dict[int, dict[str, int]] = {u.pk: {} for u in units}
    rows = list(rows)
    for unit in units:
        bucket = totals[unit.pk]
        for path, counts in rows:
            if path.startswith(unit.path):
                for key, value in counts.items():
                    bucket[key] = bucket.get(key, 0) + int(value or 0)
    return totals


# ---------------------------------------------------------------- numbers


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def twelve_months(today: dt.date) -> Period:
    """The current month to date and the eleven full months before it."""
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return Period(dt.date(year, month, 1), today)


def month_starts(period: Period) -> list[dt.date]:
    out, day = [], period.start.replace(day=1)
    while day <= period.end:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _week_end(now: dt.datetime) -> dt.datetime:
    """Midnight at the start of next Monday, local time."""
    local = timezone.localtime(now, VN).date()
    monday = local + dt.timedelta(days=7 - local.weekday())
    return dt.datetime.combine(monday, dt.time.min, tzinfo=VN)


@dataclass
class Kpis:
    received: int
    received_online: int
    resolved: int
    resolved_in_time: int
    resolved_late: int
    overdue_now: int
    due_this_week: int
    rated: int = 0
    rated_satisfied: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.resolved_in_time, self.resolved)

    @property
    def online_share(self) -> Decimal | None:
        return percent(self.received_online, self.received)

    @property
    def satisfaction(self) -> Decimal | None:
        """Share of ratings given on the portal that are "satisfied" or "very satisfied"."""
        return percent(self.rated_satisfied, self.rated)


@dataclass
class MonthRow:
    month: dt.date
    received: int = 0
    resolved: int = 0
    resolved_in_time: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.resolved_in_time, self.resolved)


@dataclass
class RankRow:
    label: str
    resolved: int
    late: int
    resolved_url: str = ""
    late_url: str = ""
    note: str = ""

    @property
    def late_share(self) -> Decimal | None:
        return percent(self.late, self.resolved)


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    now: dt.datetime
    kpis: Kpis
    months: list[MonthRow]
    sub_units: list[RankRow] = field(default_factory=list)
    procedures: list[RankRow] = field(default_factory=list)
    overdue_url: str = ""
    resolved_url: str = ""


def drill_url(*, unit: Unit, period: Period, column: str, procedure: str = "") -> str:
    """The page listing the dossiers behind a number (II.06a's drill-down, or the dashboard's
    per-procedure one)."""
    params = {
        "unit": unit.pk,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
        "group_by": "field",
        "col": column,
    }
    if procedure:
        params["procedure"] = procedure
        return f"{reverse('reports:dashboard_drill')}?{urlencode(params)}"
    return f"{reverse('reports:drill')}?{urlencode(params)}"


def _can_drill(unit: Unit, today: dt.date) -> bool:
    return unit.kind in DASHBOARD_KINDS and unit.is_valid_on(today)


def dashboard_data(*, unit: Unit, today: dt.date | None = None, now: dt.datetime | None = None) -> Dashboard:
    """Every number on the dashboard, in six aggregate queries whatever the volume."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    period = twelve_months(today)
    f = column_filters(period, now=now)
    resolved_q = f["resolved_early"] | f["resolved_on_time"] | f["resolved_late"]
    base = base_queryset(unit, period)
    data = Dashboard(
        unit=unit, period=period, now=now, kpis=_kpis(base, f, now), months=_months(base, f, period)
    )
    if _can_drill(unit, today):
        data.overdue_url = drill_url(unit=unit, period=period, column="in_progress_overdue")
        data.resolved_url = drill_url(unit=unit, period=period, column="resolved_total")
    resolved_here = base.filter(resolved_q)
    data.sub_units = _sub_unit_ranks(resolved_here, f, unit=unit, period=period, today=today)
    data.procedures = _procedure_ranks(resolved_here, f, unit=unit, period=period)
    return data


def _kpis(base: QuerySet[Dossier], f: dict[str, Q], now: dt.datetime) -> Kpis:
    received_q = f["received_online"] | f["received_direct"]
    resolved_q = f["resolved_early"] | f["resolved_on_time"] | f["resolved_late"]
    in_time_q = f["resolved_early"] | f["resolved_on_time"]
    processing = Q(state=DossierState.PROCESSING)
    totals = base.aggregate(
        received=Count("pk", filter=received_q),
        received_online=Count("pk", filter=f["received_online"]),
        resolved=Count("pk", filter=resolved_q),
        resolved_in_time=Count("pk", filter=in_time_q),
        resolved_late=Count("pk", filter=f["resolved_late"]),
        overdue_now=Count("pk", filter=processing & Q(statutory_due_at__lt=now)),
        due_this_week=Count(
            "pk", filter=processing & Q(statutory_due_at__gte=now, statutory_due_at__lt=_week_end(now))
        ),
        rated=Count("pk", filter=resolved_q & Q(rating__isnull=False)),
        rated_satisfied=Count("pk", filter=resolved_q & Q(rating__score__in=["very_satisfied", "satisfied"])),
    )
    return Kpis(**{key: int(value or 0) for key, value in totals.items()})


def _months(base: QuerySet[Dossier], f: dict[str, Q], period: Period) -> list[MonthRow]:
    """Received, resolved and resolved in time, month by month (Vietnam time)."""
    received_q = f["received_online"] | f["received_direct"]
    resolved_q = f["resolved_early"] | f["resolved_on_time"] | f["resolved_late"]
    in_time_q = f["resolved_early"] | f["resolved_on_time"]
    months = {m: MonthRow(month=m) for m in month_starts(period)}
    received_by_month = (
        base.filter(received_q)
        .annotate(m=TruncMonth("received_at", tzinfo=VN))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in received_by_month:
        key = timezone.localtime(row["m"], VN).date().replace(day=1)
        if key in months:
            months[key].received = row["n"]
    resolved_by_month = (
        base.filter(resolved_q)
        .annotate(m=TruncMonth("resolved_at", tzinfo=VN))
        .values("m")
        .annotate(n=Count("pk"), in_time=Count("pk", filter=in_time_q))
        .order_by()
    )
    for row in resolved_by_month:
        key = timezone.localtime(row["m"], VN).date().replace(day=1)
        if key in months:
            months[key].resolved = row["n"]
            months[key].resolved_in_time = row["in_time"]
    return list(months.values())


def _sub_unit_ranks(
    resolved_here: QuerySet[Dossier], f: dict[str, Q], *, unit: Unit, period: Period, today: dt.date
) -> list[RankRow]:
    """The units directly below, most late first (closed ones only if they resolved something)."""
    children = sub_units(unit)
    if not children:
        return []
    per_resolver = (
        resolved_here.values("resolving_unit__path")
        .annotate(resolved=Count("pk"), late=Count("pk", filter=f["resolved_late"]))
        .order_by()
    )
    summed = rollup(
        ((r["resolving_unit__path"], {"resolved": r["resolved"], "late": r["late"]}) for r in per_resolver),
        children,
    )
    ranks = []
    for child in children:
        counts = summed[child.pk]
        resolved, late = counts.get("resolved", 0), counts.get("late", 0)
        current = child.is_valid_on(today)
        if not current and not resolved:
            continue
        rank = RankRow(label=child.name, resolved=resolved, late=late)
        if _can_drill(child, today):
            rank.resolved_url = drill_url(unit=child, period=period, column="resolved_total")
            rank.late_url = drill_url(unit=child, period=period, column="resolved_late")
        if not current:
            rank.note = _("closed unit")
        ranks.append(rank)
    ranks.sort(key=lambda r: (-r.late, -(r.late_share or 0), r.label))
    return ranks


def _procedure_ranks(
    resolved_here: QuerySet[Dossier], f: dict[str, Q], *, unit: Unit, period: Period
) -> list[RankRow]:
    """The procedures with the most late dossiers."""
    by_procedure = (
        resolved_here.values("procedure_version__procedure__code")
        .annotate(
            name=Max("procedure_version__name"),
            resolved=Count("pk"),
            late=Count("pk", filter=f["resolved_late"]),
        )
        .filter(late__gt=0)
        .order_by("-late", "-resolved", "procedure_version__procedure__code")[:TOP_PROCEDURES]
    )
    ranks = []
    for r in by_procedure:
        code = r["procedure_version__procedure__code"]
        ranks.append(
            RankRow(
                label=f"{code} · {r['name']}",
                resolved=r["resolved"],
                late=r["late"],
                resolved_url=drill_url(unit=unit, period=period, column="resolved_total", procedure=code),
                late_url=drill_url(unit=unit, period=period, column="resolved_late", procedure=code),
            )
        )
    return ranks


def chosen_unit(request: HttpRequest) -> tuple[Unit | None, list[Unit]]:
    """The unit asked for (404 unless offered to the user) or the user's default one."""
    units = unit_choices_for(request.user)
    raw = request.GET.get("unit", "")
    if not raw:
        return default_unit_for(request.user, units), units
    try:
        pk = int(raw)
    except ValueError:
        raise Http404 from None
    unit = next((u for u in units if u.pk == pk), None)
    if unit is None:
        raise Http404
    return unit, units
