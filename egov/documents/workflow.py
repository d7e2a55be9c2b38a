"""One table decides who may act on documents, in which state (docs/documents.md, "Who does what").

Three kinds of object are acted on: an incoming :class:`Entry` (the clerk registers, returns and
submits it; the leader directs), an :class:`Assignment` (its handler records progress, forwards,
asks for more time, reports done; the assigner decides extensions and accepts completion) and an
outgoing :class:`Document` (the drafter writes and submits it, reviewers approve or send back,
the clerk issues it, the clerk or the leader recalls or replaces it). A unit's file plan and its
work files (:class:`WorkFile`: open, file into, close, legal hold, export) are ruled here too;
the actions that create in a unit (a plan line, a new file) take the :class:`Unit` itself, which
has no states. Every service calls
:func:`require` first; the pages draw their buttons and the API answers from
:func:`available_actions`. Nothing else decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from egov.accounts.models import Role, RoleAssignment
from egov.accounts.permissions import is_staff_user, role_paths
from egov.accounts.types import Visitor
from egov.documents.errors import ActionForbidden, WrongState
from egov.documents.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Document,
    DraftState,
    Entry,
    EntryState,
    Medium,
    ReviewState,
    Secrecy,
    WorkFile,
    WorkFileState,
)
from egov.documents.permissions import (
    agency_of,
    can_administer,
    can_draft_in,
    delegators_of,
    is_clerk_of,
    is_leader_of,
    work_files_visible_to,
)
from egov.documents.selectors import profile_for
from egov.documents.signing_state import agency_signs, competent_person_id, person_signature
from egov.orgs.models import Unit, path_prefixes


class Action(StrEnum):
    """Everything one can do to a document; the values are the page's and API's names."""

    # On an incoming entry.
    RETURN = "return"
    SUBMIT = "submit"
    DIRECT = "direct"
    # On an assignment.
    NOTE = "note"
    FORWARD = "forward"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    REPORT_DONE = "report_done"
    ACCEPT_DONE = "accept_done"
    # On an outgoing document.
    EDIT_DRAFT = "edit_draft"
    SUBMIT_REVIEW = "submit_review"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    SIGN = "sign"
    ISSUE = "issue"
    RECALL = "recall"
    REPLACE = "replace"
    ABANDON = "abandon"
    COPY = "copy"
    # On a secret document: who else may read it.
    GRANT_ACCESS = "grant_access"
    REVOKE_ACCESS = "revoke_access"
    # On a unit's file plan and work files (hồ sơ công việc).
    PLAN_EDIT = "plan_edit"
    FILE_OPEN = "file_open"
    FILE_ADD = "file_add"
    FILE_REMOVE = "file_remove"
    FILE_CLOSE = "file_close"
    FILE_HOLD = "file_hold"
    FILE_RELEASE = "file_release"
    FILE_EXPORT = "file_export"


# --- incoming entries ---------------------------------------------------------------------


def _entry_clerk(user: Visitor, entry: Entry) -> bool:
    return is_clerk_of(user, entry.agency)


def _returnable(entry: Entry) -> bool:
    """Only an electronic document can go back through the system; paper goes back on paper."""
    return entry.medium != Medium.PAPER


def _director(user: Visitor, entry: Entry) -> bool:
    """The leader the entry was put before, any leader of the agency, or their delegate."""
    if not is_staff_user(user):
        return False
    if entry.submitted_to_id == user.pk or is_leader_of(user, entry.agency):
        return True
    return entry.submitted_to_id is not None and entry.submitted_to_id in delegators_of(user)


# --- assignments --------------------------------------------------------------------------


def is_assignee(user: Visitor, assignment: Assignment) -> bool:
    """The person assigned, or for a unit: its head (or leader) or anyone the head forwarded to."""
    if not is_staff_user(user):
        return False
    if assignment.person_id is not None:
        return assignment.person_id == user.pk or assignment.person_id in delegators_of(user)
    unit = assignment.unit
    assert unit is not None
    paths = role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER})
    return any(unit.path.startswith(p) for p in paths)


def _handler(user: Visitor, assignment: Assignment) -> bool:
    return assignment.role != AssignmentRole.INFORM and is_assignee(user, assignment)


def _lead(user: Visitor, assignment: Assignment) -> bool:
    return assignment.role == AssignmentRole.LEAD and is_assignee(user, assignment)


def is_assigner(user: Visitor, assignment: Assignment) -> bool:
    """Who gave the assignment, a leader of the agency, or their delegate."""
    if not is_staff_user(user):
        return False
    if assignment.assigned_by_id == user.pk or assignment.assigned_by_id in delegators_of(user):
        return True
    return is_leader_of(user, assignment.entry.agency)


def _forwarder(user: Visitor, assignment: Assignment) -> bool:
    """A head or leader over an assigned unit hands it down to a person or a division."""
    if assignment.role == AssignmentRole.INFORM or assignment.unit_id is None:
        return False
    return is_assignee(user, assignment)


def _has_deadline(assignment: Assignment) -> bool:
    return assignment.due_at is not None


def _has_pending_extension(assignment: Assignment) -> bool:
    return assignment.extensions.filter(state="pending").exists()


def _needs_acceptance(assignment: Assignment) -> bool:
    return profile_for(assignment.entry.agency).done_needs_acceptance


# --- outgoing documents -------------------------------------------------------------------


def _drafter(user: Visitor, document: Document) -> bool:
    return is_staff_user(user) and document.drafted_by_id == user.pk


def current_review(document: Document) -> Any:
    return document.reviews.filter(state=ReviewState.PENDING).order_by("round", "order").first()


def _reviewer(user: Visitor, document: Document) -> bool:
    review = current_review(document)
    if review is None or not is_staff_user(user):
        return False
    paths = role_paths(user, {review.role})
    if any(review.unit.path.startswith(p) for p in paths):
        return True
    # A leader's delegate reviews in the leader's place.
    principals = delegators_of(user)
    return (
        bool(principals)
        and review.role == Role.AGENCY_LEADER
        and any(is_leader_of_id(pk, review.unit) for pk in principals)
    )


def is_leader_of_id(user_id: int, unit: Unit) -> bool:
    return (
        RoleAssignment.objects.active()
        .filter(user_id=user_id, role=Role.AGENCY_LEADER)
        .filter(Q(unit__path__in=path_prefixes(unit.path)))
        .exists()
    )


def _issuer_clerk(user: Visitor, document: Document) -> bool:
    unit = document.issuer_unit or document.drafting_unit
    return unit is not None and is_clerk_of(user, agency_of(unit))


def _issuer_clerk_or_leader(user: Visitor, document: Document) -> bool:
    unit = document.issuer_unit
    return unit is not None and (is_clerk_of(user, unit) or is_leader_of(user, unit))


# --- digital signatures (egov/documents/signing_state.py, docs/signatures.md) ---------


def _competent(user: Visitor, document: Document) -> bool:
    """The person who gave the final approval signs as the competent person."""
    return is_staff_user(user) and competent_person_id(document) == user.pk


def _not_signed(document: Document) -> bool:
    return _drafted_here(document) and person_signature(document) is None


def _signed_if_agency_signs(document: Document) -> bool:
    """Where the agency signs electronically, only what the competent person signed is issued."""
    return not agency_signs(document) or person_signature(document) is not None


def _unsigned_refusal(document: Document) -> str | None:
    if _signed_if_agency_signs(document):
        return None
    return gettext(
        "The competent person has not signed this document yet: the agency's signature goes only on a document they have signed."
    )


def _holding_clerk(user: Visitor, document: Document) -> bool:
    """A clerk of an agency that holds the document makes its electronic copies."""
    return is_staff_user(user) and any(is_clerk_of(user, a) for a in holding_agencies(document))


def _drafted_here(document: Document) -> bool:
    return document.drafting_unit_id is not None


def holding_agencies(document: Document) -> list[Unit]:
    """The agencies that hold a document: its issuer here and every agency that registered it."""
    ids = set(Entry.objects.filter(document=document).values_list("agency_id", flat=True))
    if document.issuer_unit_id is not None:
        ids.add(document.issuer_unit_id)
    return list(Unit.objects.filter(pk__in=ids))


def _holding_leader(user: Visitor, document: Document) -> bool:
    """A leader of an agency that holds the document decides who else may read it."""
    return is_staff_user(user) and any(is_leader_of(user, a) for a in holding_agencies(document))


def _is_secret(document: Document) -> bool:
    return document.secrecy != Secrecy.NONE


@dataclass(frozen=True)
class Rule:
    subject: type
    # None: the subject has no states (a unit, for the actions that create in it).
    states: frozenset[str] | None
    allowed: Callable[[Any, Any], bool]
    # A further condition on the object as it stands, refused like a wrong state (422).
    when: Callable[[Any], bool] | None = None
    # Why ``when`` refuses, when the state's name alone would not say it (a legal hold).
    refusal: Callable[[Any], str | None] | None = None

    def applies(self, obj: Any) -> bool:
        in_state = self.states is None or obj.state in self.states
        return in_state and (self.when is None or self.when(obj))


_OPEN = frozenset(OPEN_ASSIGNMENT_STATES)

RULES: dict[Action, Rule] = {
    Action.RETURN: Rule(Entry, frozenset({EntryState.REGISTERED}), _entry_clerk, when=_returnable),
    Action.SUBMIT: Rule(Entry, frozenset({EntryState.REGISTERED}), _entry_clerk),
    Action.DIRECT: Rule(Entry, frozenset({EntryState.SUBMITTED}), _director),
    Action.NOTE: Rule(Assignment, _OPEN, _handler),
    Action.FORWARD: Rule(Assignment, _OPEN, _forwarder),
    Action.REQUEST_EXTENSION: Rule(
        Assignment, _OPEN, _handler, when=lambda a: _has_deadline(a) and not _has_pending_extension(a)
    ),
    Action.DECIDE_EXTENSION: Rule(Assignment, _OPEN, is_assigner, when=_has_pending_extension),
    Action.REPORT_DONE: Rule(Assignment, _OPEN, _lead),
    Action.ACCEPT_DONE: Rule(
        Assignment, frozenset({AssignmentState.DONE}), is_assigner, when=_needs_acceptance
    ),
    Action.EDIT_DRAFT: Rule(Document, frozenset({DraftState.DRAFT}), _drafter, when=_drafted_here),
    Action.SUBMIT_REVIEW: Rule(Document, frozenset({DraftState.DRAFT}), _drafter, when=_drafted_here),
    Action.ABANDON: Rule(Document, frozenset({DraftState.DRAFT}), _drafter, when=_drafted_here),
    Action.APPROVE: Rule(Document, frozenset({DraftState.IN_REVIEW}), _reviewer),
    Action.SEND_BACK: Rule(Document, frozenset({DraftState.IN_REVIEW}), _reviewer),
    Action.SIGN: Rule(Document, frozenset({DraftState.APPROVED}), _competent, when=_not_signed),
    Action.ISSUE: Rule(
        Document,
        frozenset({DraftState.APPROVED}),
        _issuer_clerk,
        when=_signed_if_agency_signs,
        refusal=_unsigned_refusal,
    ),
    Action.RECALL: Rule(
        Document, frozenset({DraftState.ISSUED}), _issuer_clerk_or_leader, when=_drafted_here
    ),
    Action.REPLACE: Rule(
        Document, frozenset({DraftState.ISSUED}), _issuer_clerk_or_leader, when=_drafted_here
    ),
    Action.COPY: Rule(Document, frozenset({DraftState.ISSUED}), _holding_clerk),
    Action.GRANT_ACCESS: Rule(Document, frozenset(DraftState), _holding_leader, when=_is_secret),
    Action.REVOKE_ACCESS: Rule(Document, frozenset(DraftState), _holding_leader, when=_is_secret),
}


# --- work files (hồ sơ công việc) and the unit's file plan ------------------------------------

# Who works in a unit and so may open a file there; who keeps the unit's yearly plan; who heads
# it (may file into and close anyone's file of the unit).
_UNIT_STAFF = {Role.AGENCY_LEADER, Role.CLERK, Role.HEAD_OF_DIVISION, Role.SPECIALIST}
_PLAN_KEEPERS = {Role.AGENCY_LEADER, Role.CLERK, Role.HEAD_OF_DIVISION}
_HEADS = {Role.AGENCY_LEADER, Role.HEAD_OF_DIVISION}


def _covers_unit(user: Visitor, roles: set[Role], unit: Unit) -> bool:
    return is_staff_user(user) and any(
        unit.path.startswith(p) for p in role_paths(user, {str(r) for r in roles})
    )


def _plan_keeper(user: Visitor, unit: Unit) -> bool:
    return _covers_unit(user, _PLAN_KEEPERS, unit)


def _unit_staff(user: Visitor, unit: Unit) -> bool:
    return _covers_unit(user, _UNIT_STAFF, unit)


def is_file_keeper(user: Visitor, work_file: WorkFile) -> bool:
    """The file's owner, or a head (or leader) over its unit."""
    if not is_staff_user(user):
        return False
    return work_file.owner_id == user.pk or _covers_unit(user, _HEADS, work_file.unit)


def _hold_keeper(user: Visitor, work_file: WorkFile) -> bool:
    """A legal hold is set and lifted by the agency's leader or its unit administrator."""
    agency = agency_of(work_file.unit)
    return is_leader_of(user, agency) or (is_staff_user(user) and can_administer(user, agency))


def _file_reader(user: Visitor, work_file: WorkFile) -> bool:
    return work_files_visible_to(user).filter(pk=work_file.pk).exists()


def _not_held(work_file: WorkFile) -> bool:
    return not work_file.legal_hold


def _held(work_file: WorkFile) -> bool:
    return work_file.legal_hold


def _held_refusal(work_file: WorkFile) -> str | None:
    return gettext("The work file is under legal hold: it cannot change.") if work_file.legal_hold else None


_FILE_OPEN = frozenset({WorkFileState.OPEN})
_FILE_ENDED = frozenset({WorkFileState.CLOSED, WorkFileState.TRANSFERRED})
_FILE_ANY = frozenset(WorkFileState.values)

RULES.update(
    {
        Action.PLAN_EDIT: Rule(Unit, None, _plan_keeper),
        Action.FILE_OPEN: Rule(Unit, None, _unit_staff),
        Action.FILE_ADD: Rule(WorkFile, _FILE_OPEN, is_file_keeper, when=_not_held, refusal=_held_refusal),
        Action.FILE_REMOVE: Rule(WorkFile, _FILE_OPEN, is_file_keeper, when=_not_held, refusal=_held_refusal),
        Action.FILE_CLOSE: Rule(WorkFile, _FILE_OPEN, is_file_keeper, when=_not_held, refusal=_held_refusal),
        Action.FILE_HOLD: Rule(WorkFile, _FILE_ANY, _hold_keeper, when=_not_held),
        Action.FILE_RELEASE: Rule(WorkFile, _FILE_ANY, _hold_keeper, when=_held),
        Action.FILE_EXPORT: Rule(WorkFile, _FILE_ENDED, _file_reader),
    }
)

Subject = Entry | Assignment | Document | WorkFile | Unit


def require(action: Action | str, actor: Visitor, obj: Subject) -> None:
    """Raise unless ``actor`` may take ``action`` on ``obj`` as it is now (in the database)."""
    rule = RULES[Action(action)]
    if not isinstance(obj, rule.subject):
        raise TypeError(f"{action} acts on {rule.subject.__name__}, not {type(obj).__name__}")
    # Who first: someone who may never do this learns nothing from the state (403); someone who
    # may, but not now, is told why (422).
    if not rule.allowed(actor, obj):
        if isinstance(obj, WorkFile | Unit):
            raise ActionForbidden(gettext("You may not do this on this work file."))
        raise ActionForbidden(gettext("You may not do this on this document."))
    if not rule.applies(obj):
        explained = rule.refusal(obj) if rule.refusal is not None else None
        if explained:
            raise WrongState(explained)
        if isinstance(obj, WorkFile):
            raise WrongState(
                gettext("This action is not possible while the work file is “%(state)s”.")
                % {"state": obj.get_state_display()}
            )
        assert not isinstance(obj, Unit)  # a unit has no states: its rules always apply
        raise WrongState(
            gettext("This action is not possible while the document is “%(state)s”.")
            % {"state": obj.get_state_display()}
        )


def available_actions(actor: Visitor, obj: Subject) -> list[Action]:
    """What ``actor`` may do on ``obj`` now, in the table's order."""
    return [
        a for a, r in RULES.items() if isinstance(obj, r.subject) and r.applies(obj) and r.allowed(actor, obj)
    ]


def require_register_at(actor: Visitor, agency: Unit) -> None:
    """Registering an incoming document is for the clerks of the agency."""
    if not is_clerk_of(actor, agency):
        raise ActionForbidden(gettext("You do not keep the registers of this agency."))


def require_draft_in(actor: Visitor, unit: Unit) -> None:
    if not can_draft_in(actor, unit):
        raise ActionForbidden(gettext("You may not draft documents for this unit."))
