"""Reads behind the registers' reports: handling status per unit and per person, the plan's
live targets for documents and work files, and the access log. Other apps (``egov.plans``)
read them from here; nothing here writes.

Handling status counts **lead assignments** (chủ trì: the one answerable for the deadline) of
the agency's incoming documents, neither cancelled nor forwarded (a forwarded one lives on in the
assignment it was forwarded to), with the dossiers' buckets and wording (form II.06a):

* done on time: reported done in the period, by its deadline (or without one);
* done late: reported done in the period, after its deadline;
* in progress within time: not done by the end of the period, deadline not passed;
* in progress overdue: not done by the end of the period and its deadline passed before the end
  of the period (or now, if sooner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.documents.models import (
    AccessLog,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Document,
    DraftState,
    Entry,
    FilePlanEntry,
    Medium,
    Secrecy,
    WorkFileItem,
)
from egov.orgs.models import Unit, UnitLevel

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The dossiers' bucket names (II.06a columns) and their wording on the statistics pages.
BUCKETS = ("done_on_time", "done_late", "in_progress_within", "in_progress_overdue")
# Done on time / done late / still open within the deadline / still open past it: the same
# four buckets as the dossiers' statistics, named so that the two "late" ones cannot be confused.
BUCKET_LABELS = {
    "done_on_time": _("Done on time"),
    "done_late": _("Done late"),
    "in_progress_within": _("In progress, within the deadline"),
    "in_progress_overdue": _("In progress, overdue"),
}


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as [start of its first day, start of the day after its last) in Vietnam time."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=VN),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=VN),
    )


def percent(numerator: int, denominator: int) -> Decimal | None:
    return None if not denominator else Decimal(numerator) * 100 / Decimal(denominator)


# ---------------------------------------------------------------- handling status


def bucket_filters(start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> dict[str, Q]:
    lo, hi = bounds(start, end)
    cutoff = min(hi, now or timezone.now())
    done_in = Q(done_at__gte=lo, done_at__lt=hi)
    open_at_end = Q(done_at__isnull=True) | Q(done_at__gte=hi)
    overdue = open_at_end & Q(due_at__lt=cutoff)
    return {
        "done_on_time": done_in & (Q(due_at__isnull=True) | Q(done_at__lte=F("due_at"))),
        "done_late": done_in & Q(due_at__isnull=False, done_at__gt=F("due_at")),
        "in_progress_within": open_at_end & ~overdue,
        "in_progress_overdue": overdue,
    }


def counted_assignments(agency: Unit, start: dt.date, end: dt.date) -> QuerySet[Assignment]:
    _lo, hi = bounds(start, end)
    return Assignment.objects.filter(
        entry__agency=agency, role=AssignmentRole.LEAD, created_at__lt=hi
    ).exclude(state__in=[AssignmentState.CANCELLED, AssignmentState.FORWARDED])


@dataclass
class StatusRow:
    """One line of the report: a unit or a person, with a count per bucket."""

    key: str  # "unit" or "person"
    pk: int
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(
            self.counts.get("done_on_time", 0),
            self.counts.get("done_on_time", 0) + self.counts.get("done_late", 0),
        )

    def cells(self) -> list[tuple[str, int]]:
        return [(b, self.counts.get(b, 0)) for b in BUCKETS]


@dataclass
class HandlingReport:
    agency: Unit
    start: dt.date
    end: dt.date
    total: StatusRow
    units: list[StatusRow]
    people: list[StatusRow]


def _aggregate(qs: QuerySet[Assignment], f: dict[str, Q], by: str) -> dict[int, dict[str, int]]:
    rows = (
        qs.filter(**{f"{by}__isnull": False})
        .values(by)
        .annotate(**{b: Count("pk", filter=f[b]) for b in BUCKETS})
    )
    return {r[by]: {b: int(r[b]) for b in BUCKETS} for r in rows}


def handling_report(
    *, agency: Unit, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> HandlingReport:
    """Handling status of the agency's incoming documents in the period: the total, each unit
    and each person that leads their handling (four aggregate queries)."""
    from egov.accounts.models import User

    f = bucket_filters(start, end, now=now)
    qs = counted_assignments(agency, start, end)
    total = qs.aggregate(**{b: Count("pk", filter=f[b]) for b in BUCKETS})
    by_unit = _aggregate(qs, f, "unit")
    by_person = _aggregate(qs, f, "person")
    units = {u.pk: u.name for u in Unit.objects.filter(pk__in=by_unit)}
    people = {p.pk: p.get_full_name() or p.username for p in User.objects.filter(pk__in=by_person)}
    unit_rows = [StatusRow("unit", pk, units[pk], c) for pk, c in by_unit.items()]
    person_rows = [StatusRow("person", pk, people[pk], c) for pk, c in by_person.items()]
    order = lambda r: (-r.counts["in_progress_overdue"], -r.counts["done_late"], r.label)  # noqa: E731
    return HandlingReport(
        agency=agency,
        start=start,
        end=end,
        total=StatusRow("agency", agency.pk, agency.name, {b: int(total[b] or 0) for b in BUCKETS}),
        units=sorted(unit_rows, key=order),
        people=sorted(person_rows, key=order),
    )


def handling_drill(
    *,
    agency: Unit,
    start: dt.date,
    end: dt.date,
    bucket: str,
    unit_id: int | None = None,
    person_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Assignment]:
    """The assignments behind one figure of :func:`handling_report`, most overdue first."""
    if bucket not in BUCKETS:
        raise ValueError(bucket)
    qs = counted_assignments(agency, start, end).filter(bucket_filters(start, end, now=now)[bucket])
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs.select_related("entry__document", "unit", "person").order_by(
        F("due_at").asc(nulls_last=True), "pk"
    )


# ---------------------------------------------------------------- the plan's targets

LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
ELECTRONIC = (Medium.ELECTRONIC, Medium.INTERNAL, Medium.EXCHANGE)


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)


def _per_level(rows: Any, key: str, num: str, den: str) -> dict[str, Share]:
    totals = {str(level): [0, 0] for level in LEVELS}
    for r in rows:
        bucket = totals.setdefault(str(r[key]), [0, 0])
        bucket[0] += int(r[num] or 0)
        bucket[1] += int(r[den] or 0)
    out = {level: Share(n, d) for level, (n, d) in totals.items()}
    out["all"] = Share(sum(s.numerator for s in out.values()), sum(s.denominator for s in out.values()))
    return out


def electronic_share(*, root: Unit, start: dt.date, end: dt.date) -> dict[str, Share]:
    """Documents between agencies that travelled electronically, per level of the agency and in
    all: each receipt (an incoming entry that arrived in the period) and each issue (an outgoing
    document issued in the period) by an agency at or below ``root``; electronic = received or
    issued as a file, within egov or through the exchange; secret documents are left out."""
    lo, hi = bounds(start, end)
    electronic = Q(medium__in=ELECTRONIC)
    received = (
        Entry.objects.filter(agency__path__startswith=root.path, arrived_at__gte=lo, arrived_at__lt=hi)
        .filter(document__secrecy=Secrecy.NONE)
        .values(level=F("agency__level"))
        .annotate(n=Count("pk", filter=electronic), d=Count("pk"))
    )
    issued = (
        Document.objects.filter(
            issuer_unit__path__startswith=root.path, issued_on__gte=start, issued_on__lte=end
        )
        .filter(secrecy=Secrecy.NONE, state__in=[DraftState.ISSUED, DraftState.RECALLED, DraftState.REPLACED])
        .values(level=F("issuer_unit__level"))
        .annotate(n=Count("pk", filter=electronic), d=Count("pk"))
    )
    return _per_level([*received, *issued], "level", "n", "d")


def workfiles_online(*, root: Unit, start: dt.date, end: dt.date) -> dict[str, Share]:
    """Work files handled online, per level: of the files the units' file plans expect for the
    period's years (one plan line = one expected file), those with a work file opened in egov
    that holds at least one document. Plan lines whose files hold a secret document are left
    out of both counts."""
    has_doc = WorkFileItem.objects.filter(work_file__plan_entry=OuterRef("pk"))
    has_secret = has_doc.exclude(document__secrecy=Secrecy.NONE)
    rows = (
        FilePlanEntry.objects.filter(
            unit__path__startswith=root.path, year__gte=start.year, year__lte=end.year
        )
        .exclude(Exists(has_secret))
        .annotate(online=Exists(has_doc))
        .values(level=F("unit__level"))
        .annotate(n=Count("pk", filter=Q(online=True)), d=Count("pk"))
    )
    return _per_level(rows, "level", "n", "d")


def plan_measures(*, root: Unit, start: dt.date, end: dt.date) -> dict[str, Share]:
    """The plan's document targets by their keys in the plan data (plan-2021 targets)."""
    files = workfiles_online(root=root, start=start, end=end)
    return {
        "docs_electronic_share": electronic_share(root=root, start=start, end=end)["all"],
        "workfiles_online_province": files[UnitLevel.PROVINCE],
        "workfiles_online_district": files[UnitLevel.DISTRICT],
        "workfiles_online_commune": files[UnitLevel.COMMUNE],
    }


PLAN_DEFINITIONS = {
    "docs_electronic_share": _(
        "Receipts and issues of non-secret documents by the unit's agencies in the period that were "
        "electronic (a file, within egov or through the exchange) / all of them (paper included)."
    ),
    "workfiles_online": _(
        "Lines of the file plans of the period's years (one expected work file each) at this level "
        "that have a work file opened in egov holding at least one document / all lines at this "
        "level; files holding secret documents are left out."
    ),
}


# ---------------------------------------------------------------- the access log


def access_log_for(
    *,
    agency: Unit,
    person: str = "",
    document: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AccessLog]:
    """Reads of the documents the agency holds (it issued or registered them), newest first;
    ``person`` matches a user name or full name, ``document`` a number, notation or subject."""
    held = Q(document__issuer_unit=agency) | Q(
        Exists(Entry.objects.filter(document=OuterRef("document"), agency=agency))
    )
    qs = AccessLog.objects.filter(held)
    if person:
        qs = qs.filter(Q(user__username__icontains=person) | Q(user__full_name__icontains=person))
    if document:
        match = Q(document__number=document) | Q(document__subject__icontains=document)
        number, _slash, notation = document.partition("/")
        if notation:  # "12/UBND-VP" as printed
            match |= Q(document__number=number.strip(), document__notation__iexact=notation.strip())
        else:
            match |= Q(document__notation__icontains=document)
        qs = qs.filter(match)
    if start is not None:
        qs = qs.filter(at__gte=bounds(start, start)[0])
    if end is not None:
        qs = qs.filter(at__lt=bounds(end, end)[1])
    return qs.select_related("user", "document", "file").order_by("-at", "-pk")


# ---------------------------------------------------------------- who reads what


def agencies_for(user: Any, roles: set[str]) -> list[Unit]:
    """Current agencies (People's Committees, departments) at or below the user's ``roles``;
    every agency for a system administrator."""
    from egov.accounts.permissions import is_system_admin, role_paths
    from egov.documents.permissions import AGENCY_KINDS

    qs = Unit.objects.all() if is_system_admin(user) else Unit.objects.in_subtrees(role_paths(user, roles))
    return list(qs.filter(kind__in=AGENCY_KINDS, valid_to__isnull=True).order_by("path"))


def can_read_reports(user: Any, agency: Unit) -> bool:
    """Handling reports are read by the agency's leaders, clerks, administrators and auditors."""
    from egov.documents.permissions import can_read_access_log, is_clerk_of, is_leader_of

    return is_leader_of(user, agency) or is_clerk_of(user, agency) or can_read_access_log(user, agency)


# ---------------------------------------------------------------- a register's lines


class RegisterLines:
    """A register's lines of a year, newest first, as a sequence a paginator can page through.

    Numbers run from 1 without gaps (the counter row hands them out), so the count is the
    counter's last number and a page is a range of numbers: an index range scan on
    (register, year, number) however deep the page, never a COUNT(*) or a large OFFSET."""

    def __init__(self, register: Any, year: int) -> None:
        from egov.documents.models import RegisterCounter, RegisterKind
        from egov.documents.selectors import register_documents, register_entries

        incoming = register.kind == RegisterKind.INCOMING
        self.qs: QuerySet[Any] = (
            register_entries(register, year) if incoming else register_documents(register, year)
        )
        self.field = "arrival_number" if incoming else "sequence"
        counter = (
            RegisterCounter.objects.filter(register=register, year=year)
            .values_list("last", flat=True)
            .first()
        )
        self.last = int(counter or 0)

    def count(self) -> int:
        return self.last

    def __len__(self) -> int:
        return self.last

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice):
            raise TypeError("RegisterLines is paged with slices")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.last
        top, bottom = self.last - start, self.last - stop
        return list(self.qs.filter(**{f"{self.field}__lte": top, f"{self.field}__gt": bottom}))
