"""A handler's work on an assignment: notes (progress, opinions, files), extension requests
and the assigner's decision, the report that it is done and the assigner's acceptance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Assignment,
    AssignmentState,
    Entry,
    EntryState,
    ExtensionRequest,
    ExtensionState,
    HandlingNote,
    NoteKind,
)
from egov.documents.selectors import profile_for
from egov.documents.services.common import audit
from egov.documents.services.handling import (
    _clean_text,
    _locked,
    _note,
    _start,
    deadline_from,
    is_top_lead,
    local_text,
    parent_deadline,
    people_of,
    tell,
)
from egov.documents.workflow import Action, require

NOTE_KINDS = (NoteKind.PROGRESS, NoteKind.OPINION)


@transaction.atomic
def assignment_note(
    *, assignment: Assignment, text: str, kind: str = NoteKind.PROGRESS, files: Sequence[Any] = (), by: Actor
) -> HandlingNote:
    """Record progress or an opinion (a co-handler's contribution the lead builds on), with
    files; the first note starts the work."""
    assignment = _locked(assignment)
    require(Action.NOTE, by, assignment)
    if kind not in NOTE_KINDS:
        raise DocumentError(_("Choose progress or opinion."), field="kind")
    text = _clean_text(text, limit=4000, required=True)
    note = _note(assignment, kind=kind, text=text, files=files, by=by)
    _start(assignment, note.at)
    audit(
        AuditEvent.DOCUMENT_HANDLED,
        by=by,
        target=assignment.entry,
        scope=assignment.entry.agency,
        assignment=assignment.pk,
        note=note.pk,
        kind=kind,
        files=len(files),
    )
    return note


def _requested_due(assignment: Assignment, due: Any, now: dt.datetime) -> dt.datetime:
    if due is None or due == "":
        raise DocumentError(_("Give the deadline you ask for."), field="due")
    if isinstance(due, int) and not isinstance(due, bool):
        raise DocumentError(_("Give the deadline you ask for as a date."), field="due")
    wanted = deadline_from(agency=assignment.entry.agency, due=due, now=now)
    assert wanted is not None and assignment.due_at is not None
    if wanted <= assignment.due_at:
        raise DocumentError(
            _("The deadline asked for must be later than the present one (%(due)s).")
            % {"due": local_text(assignment.due_at)},
            field="due",
        )
    limit = parent_deadline(assignment)
    if limit is not None and wanted > limit:
        raise DocumentError(
            _(
                "The deadline asked for is past the deadline of the work this was forwarded from "
                "(%(due)s): an extension past the parent's deadline must first be granted there."
            )
            % {"due": local_text(limit)},
            field="due",
        )
    return wanted


@transaction.atomic
def extension_request(*, assignment: Assignment, due: Any, reason: str, by: Actor) -> ExtensionRequest:
    """Ask the assigner for more time, with a reason (xin gia hạn)."""
    assignment = _locked(assignment)
    require(Action.REQUEST_EXTENSION, by, assignment)
    reason = _clean_text(reason, limit=1000, field="reason", required=True)
    now = timezone.now()
    wanted = _requested_due(assignment, due, now)
    request = ExtensionRequest.objects.create(
        assignment=assignment, requested_by=by, requested_at=now, reason=reason, due_at=wanted
    )
    audit(
        AuditEvent.DOCUMENT_EXTENSION,
        by=by,
        target=assignment.entry,
        scope=assignment.entry.agency,
        assignment=assignment.pk,
        request=request.pk,
        asked=wanted.isoformat(),
        current=assignment.due_at.isoformat() if assignment.due_at else None,
    )
    tell(
        [assignment.assigned_by],
        kind="documents.extension_requested",
        subject=_("Extension requested: %(doc)s") % {"doc": assignment.entry.document},
        entry=assignment.entry,
        body=_("Asked until %(due)s. Reason: %(reason)s") % {"due": local_text(wanted), "reason": reason},
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, grant: bool, note: str = "", by: Actor
) -> ExtensionRequest:
    """The assigner grants (the deadline moves, and the entry's when it is the lead's) or refuses."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    assignment = _locked(request.assignment)
    require(Action.DECIDE_EXTENSION, by, assignment)
    if request.state != ExtensionState.PENDING:
        raise DocumentError(_("This request was already decided."))
    note = _clean_text(note, limit=1000, field="note", required=not grant)
    limit = parent_deadline(assignment)
    if grant and limit is not None and request.due_at > limit:
        raise DocumentError(
            _("The deadline asked for is past the parent's deadline (%(due)s).") % {"due": local_text(limit)},
            field="due",
        )
    now = timezone.now()
    request.state = ExtensionState.GRANTED if grant else ExtensionState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = by, now, note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    previous = assignment.due_at
    if grant:
        # A new deadline: the watch may warn and mark it again.
        assignment.due_at, assignment.warned_at, assignment.overdue_at = request.due_at, None, None
        assignment.save(update_fields=["due_at", "warned_at", "overdue_at"])
        if is_top_lead(assignment):
            Entry.objects.filter(pk=assignment.entry_id).update(due_at=request.due_at)
    audit(
        AuditEvent.DOCUMENT_EXTENSION,
        by=by,
        target=assignment.entry,
        scope=assignment.entry.agency,
        assignment=assignment.pk,
        request=request.pk,
        granted=grant,
        previous=previous.isoformat() if previous else None,
        due_at=assignment.due_at.isoformat() if assignment.due_at else None,
    )
    subject = (_("Extension granted: %(doc)s") if grant else _("Extension refused: %(doc)s")) % {
        "doc": assignment.entry.document
    }
    body = _("Deadline: %(due)s. %(note)s") % {"due": local_text(assignment.due_at), "note": note}
    tell(
        [request.requested_by],
        kind="documents.extension_decided",
        subject=subject,
        entry=assignment.entry,
        body=body,
    )
    return request


def _entry_done(entry: Entry, now: dt.datetime) -> None:
    Entry.objects.filter(pk=entry.pk, state=EntryState.IN_PROGRESS).update(state=EntryState.DONE, done_at=now)


@transaction.atomic
def assignment_report_done(
    *, assignment: Assignment, text: str, files: Sequence[Any] = (), by: Actor
) -> Assignment:
    """The lead reports the work done. The document is done with it, unless the agency wants
    the assigner to accept the completion first."""
    assignment = _locked(assignment)
    require(Action.REPORT_DONE, by, assignment)
    text = _clean_text(text, limit=4000, required=True)
    note = _note(assignment, kind=NoteKind.DONE, text=text, files=files, by=by)
    assignment.state = AssignmentState.DONE
    assignment.started_at = assignment.started_at or note.at
    assignment.done_at = note.at
    assignment.save(update_fields=["state", "started_at", "done_at"])
    entry = assignment.entry
    needs_acceptance = profile_for(entry.agency).done_needs_acceptance
    if is_top_lead(assignment) and not needs_acceptance:
        _entry_done(entry, note.at)
    audit(
        AuditEvent.DOCUMENT_DONE,
        by=by,
        target=entry,
        scope=entry.agency,
        assignment=assignment.pk,
        needs_acceptance=needs_acceptance,
        late=bool(assignment.due_at and note.at > assignment.due_at),
    )
    tell(
        [assignment.assigned_by],
        kind="documents.done",
        subject=_("Reported done: %(doc)s") % {"doc": entry.document},
        entry=entry,
        body=text,
    )
    return assignment


@transaction.atomic
def assignment_accept_done(*, assignment: Assignment, accept: bool, note: str = "", by: Actor) -> Assignment:
    """The assigner accepts a reported completion (the document is done) or reopens the work
    with a reason."""
    assignment = _locked(assignment)
    require(Action.ACCEPT_DONE, by, assignment)
    note = _clean_text(note, limit=4000, field="note", required=not accept)
    now = timezone.now()
    kind = NoteKind.ACCEPTED if accept else NoteKind.REOPENED
    HandlingNote.objects.create(assignment=assignment, kind=kind, by=by, text=note or "—", at=now)
    if accept:
        assignment.state, assignment.accepted_at = AssignmentState.ACCEPTED, now
    else:
        assignment.state, assignment.done_at = AssignmentState.IN_PROGRESS, None
    assignment.save(update_fields=["state", "accepted_at", "done_at"])
    entry = assignment.entry
    if accept and is_top_lead(assignment):
        _entry_done(entry, now)
    audit(
        AuditEvent.DOCUMENT_DONE,
        by=by,
        target=entry,
        scope=entry.agency,
        assignment=assignment.pk,
        accepted=accept,
    )
    subject = (_("Completion accepted: %(doc)s") if accept else _("Completion not accepted: %(doc)s")) % {
        "doc": entry.document
    }
    tell(people_of(assignment), kind="documents.done_decided", subject=subject, entry=entry, body=note)
    return assignment
