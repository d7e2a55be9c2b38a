"""Who may see documents, and the roles office work uses. A role held in a unit covers that
unit and every unit below it.

Who may *act* on a document is decided in one place only: the table in
``egov.documents.workflow``. The querysets here are the only way pages and the API list
documents; :func:`egov.documents.selectors.entry_get_for_user` and
:func:`~egov.documents.selectors.document_get_for_user` fetch one."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.documents.models import (
    AccessGrant,
    Assignment,
    Delegation,
    Document,
    Entry,
    Review,
    Secrecy,
    WorkFile,
)
from egov.orgs.models import Unit, UnitKind, path_ids

# The units that keep registers and issue documents in their own name.
AGENCY_KINDS = frozenset({UnitKind.PEOPLES_COMMITTEE, UnitKind.DEPARTMENT})

# Roles that see every (non-secret) document of their agency: the leader, the clerk who keeps
# the registers, and the auditor (who reads, never acts).
AGENCY_WIDE_ROLES = frozenset({Role.AGENCY_LEADER, Role.CLERK, Role.AUDITOR})
# Roles that see what is assigned to their unit (and below) and what they draft or review.
HANDLER_ROLES = frozenset({Role.HEAD_OF_DIVISION, Role.SPECIALIST})
DRAFTER_ROLES = frozenset({Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER})


def _paths(user: Visitor, roles: frozenset[Role] | set[str]) -> list[str]:
    return role_paths(user, {str(r) for r in roles})


def _covers(user: Visitor, roles: frozenset[Role] | set[str], unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in _paths(user, roles))


def agency_of(unit: Unit) -> Unit:
    """The agency a unit belongs to: itself or the nearest People's Committee or department
    above it (a division's agency is its department)."""
    if unit.kind in AGENCY_KINDS:
        return unit
    ids = path_ids(unit.path)
    ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=ids, kind__in=AGENCY_KINDS)}
    for pk in reversed(ids):
        if pk in ancestors:
            return ancestors[pk]
    return unit


def delegators_of(user: Visitor, on: dt.date | None = None) -> list[int]:
    """Ids of the people whose inbox ``user`` holds today under a delegation."""
    if not is_staff_user(user):
        return []
    day = on or timezone.localdate()
    return list(
        Delegation.objects.filter(
            delegate_id=user.pk, starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True
        ).values_list("principal_id", flat=True)
    )


def is_clerk_of(user: Visitor, agency: Unit) -> bool:
    return is_staff_user(user) and _covers(user, {Role.CLERK}, agency)


def is_leader_of(user: Visitor, agency: Unit) -> bool:
    return is_staff_user(user) and _covers(user, {Role.AGENCY_LEADER}, agency)


def can_administer(user: Visitor, agency: Unit) -> bool:
    """Registers and office-work settings are set by the agency's unit administrator."""
    return is_system_admin(user) or (is_staff_user(user) and _covers(user, {Role.UNIT_ADMIN}, agency))


def can_read_access_log(user: Visitor, agency: Unit) -> bool:
    return can_administer(user, agency) or (is_staff_user(user) and _covers(user, {Role.AUDITOR}, agency))


def can_draft_in(user: Visitor, unit: Unit) -> bool:
    return is_staff_user(user) and _covers(user, DRAFTER_ROLES, unit)


def clerk_agencies(user: Visitor) -> QuerySet[Unit]:
    """The agencies whose registers the user keeps."""
    return Unit.objects.in_subtrees(_paths(user, {Role.CLERK})).filter(
        kind__in=AGENCY_KINDS, valid_to__isnull=True
    )


def _prefix(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def _assigned_to(user: Visitor, unit_paths: list[str]) -> Q:
    """Entries with an assignment to the user, or to a unit the user handles for."""
    mine = Assignment.objects.filter(entry=OuterRef("pk")).filter(
        Q(person=user) | _prefix("unit__path", unit_paths)
    )
    return Q(Exists(mine))


def entries_visible_to(user: Visitor) -> QuerySet[Entry]:
    """Incoming documents the user may read. Agency-wide roles read their agencies' entries
    except secret ones; handlers read what is assigned to them or to their units; secret
    documents only the leader, those assigned, and those granted access."""
    qs = Entry.objects.all()
    if not is_staff_user(user):
        return qs.none()
    if is_system_admin(user):
        return qs
    wide = _paths(user, AGENCY_WIDE_ROLES)
    leader = _paths(user, {Role.AGENCY_LEADER})
    handler = _paths(user, HANDLER_ROLES)
    granted = AccessGrant.objects.filter(
        document=OuterRef("document"), person_id=user.pk, revoked_at__isnull=True
    )
    not_secret = Q(document__secrecy=Secrecy.NONE)
    condition = (
        (not_secret & _prefix("agency__path", wide))
        | _prefix("agency__path", leader)
        | _assigned_to(user, handler)
        | Q(Exists(granted))
        | Q(submitted_to=user)
    )
    principals = delegators_of(user)
    if principals:
        # A delegate reads what was put before, or assigned to, the leaders they act for.
        theirs = Assignment.objects.filter(entry=OuterRef("pk"), person_id__in=principals)
        condition |= Q(submitted_to_id__in=principals) | Q(Exists(theirs))
    return qs.filter(condition)


def documents_visible_to(user: Visitor) -> QuerySet[Document]:
    """Documents the user may read: those of entries they may read, those their agencies issue
    or draft (agency-wide roles), their own drafts, and drafts they review."""
    qs = Document.objects.all()
    if not is_staff_user(user):
        return qs.none()
    if is_system_admin(user):
        return qs
    wide = _paths(user, AGENCY_WIDE_ROLES)
    leader = _paths(user, {Role.AGENCY_LEADER})
    reviewer = Review.objects.filter(document=OuterRef("pk")).filter(
        _prefix("unit__path", _paths(user, DRAFTER_ROLES))
    )
    entries = entries_visible_to(user).filter(document=OuterRef("pk"))
    not_secret = Q(secrecy=Secrecy.NONE)
    condition = (
        Q(drafted_by=user)
        | (not_secret & (_prefix("issuer_unit__path", wide) | _prefix("drafting_unit__path", wide)))
        | _prefix("issuer_unit__path", leader)
        | Q(Exists(reviewer))
        | Q(Exists(entries))
        | Q(
            Exists(
                AccessGrant.objects.filter(
                    document=OuterRef("pk"), person_id=user.pk, revoked_at__isnull=True
                )
            )
        )
    )
    return qs.filter(condition)


# Who sees a unit's work files: the agency-wide roles of its agency (leader, clerk, auditor),
# the handlers of the unit or a unit above it, and the unit administrator (who sets legal holds).
WORK_FILE_WIDE_ROLES = AGENCY_WIDE_ROLES | {Role.UNIT_ADMIN}


def work_files_visible_to(user: Visitor) -> QuerySet[WorkFile]:
    """Work files the user may read (their index lists the documents' metadata)."""
    qs = WorkFile.objects.all()
    if not is_staff_user(user):
        return qs.none()
    if is_system_admin(user):
        return qs
    paths = _paths(user, WORK_FILE_WIDE_ROLES | HANDLER_ROLES)
    return qs.filter(_prefix("unit__path", paths) | Q(owner_id=user.pk))


def work_file_units_visible_to(user: Visitor) -> QuerySet[Unit]:
    """The agencies and divisions whose file plans and files the user may read."""
    if not is_staff_user(user):
        return Unit.objects.none()
    units = Unit.objects.filter(kind__in=AGENCY_KINDS | {UnitKind.DIVISION}, valid_to__isnull=True).order_by(
        "path"
    )
    if is_system_admin(user):
        return units
    return units.in_subtrees(_paths(user, WORK_FILE_WIDE_ROLES | HANDLER_ROLES))
