"""Reads for incoming documents and their handling: the entry page's trace, notes, the
deadline colours of the inbox (the dossiers' buckets) and a leader's delegations."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.types import Visitor
from egov.documents.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    Delegation,
    Direction,
    DocumentFile,
    Entry,
    EntryState,
    ExtensionRequest,
    HandlingNote,
)
from egov.documents.permissions import entries_visible_to
from egov.orgs.models import Unit

# As the dossiers: due within three days is "due soon".
DUE_SOON = dt.timedelta(days=3)


def deadline_bucket(due_at: dt.datetime | None, *, open_: bool = True, now: dt.datetime | None = None) -> str:
    """``overdue``, ``due_soon``, ``on_time`` or ``""`` (no deadline, or no longer open)."""
    if due_at is None or not open_:
        return ""
    now = now or timezone.now()
    if due_at <= now:
        return "overdue"
    if due_at <= now + DUE_SOON:
        return "due_soon"
    return "on_time"


def submit_bucket(entry: Entry, now: dt.datetime | None = None) -> str:
    """The submission clock's colour for the clerk's queue."""
    return deadline_bucket(entry.submit_due_at, open_=entry.state == EntryState.REGISTERED, now=now)


def entry_directions(entry: Entry) -> QuerySet[Direction]:
    return entry.directions.select_related("by", "on_behalf_of", "parent").order_by("at", "pk")


def entry_assignments(entry: Entry) -> QuerySet[Assignment]:
    return entry.assignments.select_related("unit", "person", "assigned_by", "direction").order_by(
        "direction__at", "pk"
    )


def entry_notes(entry: Entry) -> QuerySet[HandlingNote]:
    """Every handler's notes on the entry: co-handlers' opinions are what the lead builds on."""
    return (
        HandlingNote.objects.filter(assignment__entry=entry)
        .select_related("by", "assignment__unit", "assignment__person")
        .prefetch_related("files")
        .order_by("at", "pk")
    )


def entry_extensions(entry: Entry) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(assignment__entry=entry).select_related(
        "requested_by", "decided_by", "assignment"
    )


def entry_files(entry: Entry) -> QuerySet[DocumentFile]:
    return entry.document.files.select_related("uploaded_by").order_by("role", "version", "pk")


def entry_file_get_for_user(*, user: Visitor, entry_pk: int, file_pk: int) -> DocumentFile:
    entry = get_object_or_404(entries_visible_to(user), pk=entry_pk)
    return get_object_or_404(DocumentFile, pk=file_pk, document_id=entry.document_id)


def extension_get_for_user(*, user: Visitor, pk: int) -> ExtensionRequest:
    return get_object_or_404(
        ExtensionRequest.objects.filter(assignment__entry__in=entries_visible_to(user)).select_related(
            "assignment__entry__agency"
        ),
        pk=pk,
    )


def units_for_assignment(within: Unit) -> QuerySet[Unit]:
    """The units one may assign to: the unit and those below it still in existence."""
    return Unit.objects.filter(path__startswith=within.path, valid_to__isnull=True).order_by("path")


def people_for_assignment(within: Unit) -> QuerySet[User]:
    """The staff holding a role in the unit or below it."""
    ids = (
        RoleAssignment.objects.active()
        .filter(unit__path__startswith=within.path, unit__valid_to__isnull=True)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def leaders_of(agency: Unit) -> QuerySet[User]:
    ids = RoleAssignment.objects.active().filter(unit=agency, role=Role.AGENCY_LEADER).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def delegations_of(user: Visitor) -> QuerySet[Delegation]:
    """Delegations the user gave or holds, newest first."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(Q(principal_id=user.pk) | Q(delegate_id=user.pk))
        .select_related("principal", "delegate", "agency")
        .order_by("-starts_on", "-pk")
    )


def open_assignment_count(entry: Entry) -> int:
    return entry.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES).count()


def has_document_role(user: Visitor) -> bool:
    """Whether the user works with documents (the "Văn bản" menu entry)."""
    from egov.accounts.permissions import is_staff_user, role_paths
    from egov.documents.permissions import AGENCY_WIDE_ROLES, HANDLER_ROLES

    return is_staff_user(user) and bool(role_paths(user, {str(r) for r in AGENCY_WIDE_ROLES | HANDLER_ROLES}))
