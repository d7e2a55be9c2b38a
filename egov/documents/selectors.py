"""Reads of the document system: one access helper per entity (404 rather than leak that an
object exists) and the queues each person works from."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.permissions import is_staff_user, role_paths
from egov.accounts.types import Visitor
from egov.documents.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    Document,
    DocumentProfile,
    DraftState,
    Entry,
    EntryState,
    FilePlanEntry,
    Register,
    Review,
    ReviewState,
    WorkFile,
    WorkFileItem,
    WorkFileState,
)
from egov.documents.permissions import (
    can_administer,
    delegators_of,
    documents_visible_to,
    entries_visible_to,
    is_clerk_of,
    is_leader_of,
    work_file_units_visible_to,
    work_files_visible_to,
)
from egov.orgs.models import Unit, path_prefixes


def clerks_of(agency: Unit) -> list[User]:
    """The clerks who keep the agency's registers: its own, or failing them those of the nearest
    unit above whose role covers it."""
    holders = list(
        RoleAssignment.objects.active()
        .filter(role=Role.CLERK, unit__path__in=path_prefixes(agency.path), user__is_active=True)
        .select_related("user", "unit")
        .order_by("user_id")
    )
    if not holders:
        return []
    nearest = max(len(h.unit.path) for h in holders)
    return list({h.user_id: h.user for h in holders if len(h.unit.path) == nearest}.values())


def profile_for(unit: Unit) -> DocumentProfile:
    """The unit's office-work settings, or the defaults (not saved) when none were set."""
    try:
        return unit.document_profile
    except DocumentProfile.DoesNotExist:
        return DocumentProfile(unit=unit, abbreviation="", review_roles=[Role.AGENCY_LEADER.value])


def registers_of(agency: Unit, kind: str | None = None) -> QuerySet[Register]:
    qs = Register.objects.filter(agency=agency, is_active=True)
    return qs.filter(kind=kind) if kind else qs


def entry_get_for_user(*, user: Visitor, pk: int) -> Entry:
    return get_object_or_404(
        entries_visible_to(user).select_related("document", "agency", "register", "submitted_to"), pk=pk
    )


def document_get_for_user(*, user: Visitor, pk: int) -> Document:
    return get_object_or_404(
        documents_visible_to(user).select_related("issuer_unit", "drafting_unit", "register"), pk=pk
    )


def assignment_get_for_user(*, user: Visitor, pk: int) -> Assignment:
    visible = entries_visible_to(user)
    return get_object_or_404(
        Assignment.objects.filter(entry__in=visible).select_related("entry__agency", "unit", "person"), pk=pk
    )


def clerk_queue(user: Visitor) -> QuerySet[Entry]:
    """Entries registered (or delivered from inside egov) but not yet before the leader."""
    paths = role_paths(user, {Role.CLERK})
    if not paths:
        return Entry.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(agency__path__startswith=path)
    return (
        Entry.objects.filter(condition, state=EntryState.REGISTERED)
        .select_related("document", "register")
        .order_by("submit_due_at", "pk")
    )


def leader_queue(user: Visitor) -> QuerySet[Entry]:
    """Entries waiting for this leader's direction (or a delegating leader's)."""
    if not is_staff_user(user):
        return Entry.objects.none()
    people = [user.pk, *delegators_of(user)]
    return (
        Entry.objects.filter(state=EntryState.SUBMITTED, submitted_to_id__in=people)
        .select_related("document", "agency")
        .order_by("document__urgency", "submitted_at", "pk")
    )


def handler_assignments(
    user: Visitor, *, role: str | None = None, open_only: bool = True
) -> QuerySet[Assignment]:
    """Assignments to the user, to people who delegated to them, or to units they head."""
    if not is_staff_user(user):
        return Assignment.objects.none()
    people = [user.pk, *delegators_of(user)]
    condition = Q(person_id__in=people)
    # The units first, then their assignments by id: matching assignments on a path prefix
    # makes PostgreSQL scan every open assignment of the province (docs/benchmarks.md).
    paths = role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER})
    unit_ids = list(Unit.objects.in_subtrees(paths).values_list("pk", flat=True)) if paths else []
    if unit_ids:
        condition |= Q(person__isnull=True, unit_id__in=unit_ids)
    qs = Assignment.objects.filter(condition)
    if open_only:
        qs = qs.filter(state__in=OPEN_ASSIGNMENT_STATES)
    if role:
        qs = qs.filter(role=role)
    return qs.select_related("entry__document", "entry__agency", "unit", "person").order_by("due_at", "pk")


def inbox_counts(user: Visitor) -> dict[str, int]:
    return {
        "lead": handler_assignments(user, role=AssignmentRole.LEAD).count(),
        "co": handler_assignments(user, role=AssignmentRole.CO).count(),
        "inform": handler_assignments(user, role=AssignmentRole.INFORM).count(),
    }


def drafts_of(user: Visitor) -> QuerySet[Document]:
    if not is_staff_user(user):
        return Document.objects.none()
    return Document.objects.filter(
        drafted_by_id=user.pk, state__in=[DraftState.DRAFT, DraftState.IN_REVIEW, DraftState.APPROVED]
    ).order_by("-updated_at")


def reviews_waiting_for(user: Visitor) -> QuerySet[Document]:
    """Drafts whose current review step is for a role the user holds over its unit."""
    if not is_staff_user(user):
        return Document.objects.none()
    condition = Q(pk__in=[])
    for role in (Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER, Role.SPECIALIST):
        for path in role_paths(user, {role}):
            condition |= Q(role=role, unit__path__startswith=path)
    mine = Review.objects.filter(condition, state=ReviewState.PENDING)
    # Only the first pending step of each draft counts: later steps wait for it.
    first = Review.objects.filter(document=OuterRef("pk"), state=ReviewState.PENDING).order_by(
        "round", "order"
    )
    return (
        Document.objects.filter(state=DraftState.IN_REVIEW)
        .annotate(first_step=Subquery(first.values("pk")[:1]))
        .filter(first_step__in=mine.values("pk"))
        .order_by("updated_at")
    )


def to_issue(user: Visitor) -> QuerySet[Document]:
    """Approved drafts waiting for the clerk of the issuing agency."""
    paths = role_paths(user, {Role.CLERK})
    if not paths:
        return Document.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(issuer_unit__path__startswith=path)
    return Document.objects.filter(condition, state=DraftState.APPROVED).order_by("updated_at")


def register_entries(register: Register, year: int) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(register=register, year=year, arrival_number__isnull=False)
        .select_related("document")
        .order_by("-arrival_number")
    )


def register_documents(register: Register, year: int) -> QuerySet[Document]:
    return Document.objects.filter(register=register, register_year=year).order_by("-sequence")


def register_get_for_user(*, user: Visitor, pk: int) -> Register:
    register = get_object_or_404(Register.objects.select_related("agency"), pk=pk)
    agency = register.agency
    if not (is_clerk_of(user, agency) or is_leader_of(user, agency) or can_administer(user, agency)):
        raise Http404
    return register


# --- work files ---------------------------------------------------------------------------

# How long before its transfer date a closed file is flagged (Annex VI: 30 days ahead).
TRANSFER_WARNING_DAYS = 30
WORK_FILE_VIEWS = ("open", "closed", "due", "held", "all")


def work_file_get_for_user(*, user: Visitor, pk: int) -> WorkFile:
    return get_object_or_404(work_files_visible_to(user).select_related("unit", "owner", "plan_entry"), pk=pk)


def work_files_list_for_user(
    user: Visitor, *, view: str = "open", unit: Unit | None = None, year: int | None = None, today: dt.date
) -> QuerySet[WorkFile]:
    """The files a person may read, by view: open, closed, due (flagged for transfer within
    the warning window), held, all; with their document and page totals."""
    qs = work_files_visible_to(user).select_related("unit", "owner")
    if view == "open":
        qs = qs.filter(state=WorkFileState.OPEN)
    elif view == "closed":
        qs = qs.filter(state=WorkFileState.CLOSED)
    elif view == "due":
        qs = qs.filter(
            state=WorkFileState.CLOSED,
            transfer_due_on__lte=today + dt.timedelta(days=TRANSFER_WARNING_DAYS),
        )
    elif view == "held":
        qs = qs.filter(legal_hold=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.annotate(document_count=Count("items")).order_by("-year", "code")


def work_file_items(work_file: WorkFile) -> QuerySet[WorkFileItem]:
    """The file's index of documents, in order."""
    return work_file.items.select_related("document", "added_by").order_by("order", "pk")


def work_file_totals(work_file: WorkFile) -> dict[str, int]:
    totals = work_file.items.aggregate(documents=Count("pk"), pages=Sum("document__page_count"))
    return {"documents": totals["documents"] or 0, "pages": totals["pages"] or 0}


def work_files_addable_by(user: Visitor) -> QuerySet[WorkFile]:
    """Open files, not under legal hold, that the user may file documents into (their own, or
    any of a unit they head): the same condition as the workflow's FILE_ADD rule, as a query."""
    if not is_staff_user(user):
        return WorkFile.objects.none()
    condition = Q(owner_id=user.pk)
    for path in role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER}):
        condition |= Q(unit__path__startswith=path)
    return (
        work_files_visible_to(user)
        .filter(condition, state=WorkFileState.OPEN, legal_hold=False)
        .select_related("unit")
        .order_by("-year", "code")
    )


def documents_to_file(user: Visitor, *, q: str, exclude: WorkFile | None = None) -> QuerySet[Document]:
    """Documents the user may see, found by number, notation or subject, for the file picker."""
    qs = documents_visible_to(user).filter(
        state__in=[DraftState.ISSUED, DraftState.RECALLED, DraftState.REPLACED]
    )
    q = q.strip()
    if q:
        number, _sep, notation = q.partition("/")
        condition = Q(subject__icontains=q) | Q(notation__icontains=q) | Q(number=q)
        if notation:
            condition |= Q(number=number.strip(), notation__iexact=notation.strip())
        qs = qs.filter(condition)
    if exclude is not None:
        qs = qs.exclude(file_items__work_file=exclude)
    return qs.order_by("-issued_on", "-pk")


def work_file_units(user: Visitor, *, limit: int = 300) -> list[Unit]:
    """Units whose plans and files the user may read, in tree order (a long list is cut)."""
    return list(work_file_units_visible_to(user)[:limit])


def work_file_unit_get_for_user(*, user: Visitor, pk: int) -> Unit:
    return get_object_or_404(work_file_units_visible_to(user), pk=pk)


def file_plan(unit: Unit, year: int) -> QuerySet[FilePlanEntry]:
    return (
        FilePlanEntry.objects.filter(unit=unit, year=year)
        .select_related("owner")
        .annotate(file_count=Count("files"))
        .order_by("code")
    )


def file_plan_entry_get_for_user(*, user: Visitor, pk: int) -> FilePlanEntry:
    return get_object_or_404(
        FilePlanEntry.objects.filter(unit__in=work_file_units_visible_to(user)).select_related(
            "unit", "owner"
        ),
        pk=pk,
    )


def unit_staff(unit: Unit, *, limit: int = 200) -> list[tuple[int, str]]:
    """People holding a working role over the unit (for "person in charge" choices)."""
    ancestors = path_prefixes(unit.path)
    rows = (
        RoleAssignment.objects.active()
        .filter(
            unit__path__in=ancestors,
            role__in=[Role.AGENCY_LEADER, Role.CLERK, Role.HEAD_OF_DIVISION, Role.SPECIALIST],
        )
        .values_list("user_id", "user__full_name")
        .distinct()
        .order_by("user__full_name")[:limit]
    )
    return [(pk, name) for pk, name in rows]


def work_files_with_document(user: Visitor, document: Document) -> QuerySet[WorkFile]:
    """The files (that the user may read) a document sits in."""
    return work_files_visible_to(user).filter(items__document=document).order_by("-year", "code")
