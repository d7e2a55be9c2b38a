"""The leader's direction (bút phê) and what follows it: assignments to a lead handler,
co-handlers and those informed, a head forwarding an assigned unit's work down the hierarchy,
handlers' notes, extension requests and their decisions, and the report that the work is done.

Deadlines are on the agency's statutory calendar; every change is one atomic, audited step and
tells the people it concerns (in-app message, e-mail copy when they have an address)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Direction,
    Entry,
    EntryState,
    FileRole,
    HandlingNote,
)
from egov.documents.permissions import delegators_of
from egov.documents.services.common import audit, document_file_store, working_days_due
from egov.documents.workflow import Action, require
from egov.orgs.models import Unit
from egov.workcal.selectors import calendar_for_unit

Target = Unit | User
# A deadline: a number of working days from now, a day (the close of its office hours) or an instant.
Due = int | dt.date | dt.datetime | None

MAX_WORKING_DAYS = 365


def local_text(moment: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the local time zone, for messages."""
    return date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else "—"


# --- notifying --------------------------------------------------------------------------


def people_of(assignment: Assignment) -> list[User]:
    """Who answers for an assignment: the person, or the heads (or leaders) of the unit."""
    if assignment.person_id is not None:
        assert assignment.person is not None
        return [assignment.person]
    holders = (
        RoleAssignment.objects.active()
        .filter(unit=assignment.unit, role__in=[Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER])
        .select_related("user")
    )
    return list({h.user_id: h.user for h in holders}.values())


def tell(people: Iterable[User], *, kind: str, subject: str, entry: Entry, body: str = "") -> None:
    """An in-app message (and an e-mail copy) to each person, about the entry."""
    from egov.notifications.services import staff_message_send

    link = entry.get_absolute_url()
    for person in {p.pk: p for p in people}.values():
        staff_message_send(
            recipient=person,
            kind=kind,
            subject=subject,
            body=body or str(entry.document),
            link=link,
            related=entry,
        )


# --- checks -----------------------------------------------------------------------------


def deadline_from(*, agency: Unit, due: Due, now: dt.datetime, field: str = "due") -> dt.datetime | None:
    """The deadline instant: working days on the agency's calendar, or the close of office
    hours on the day given. A deadline before today is refused."""
    if due is None or due == "":
        return None
    if isinstance(due, bool):
        raise DocumentError(_("Give the deadline as a number of working days or a date."), field=field)
    if isinstance(due, int):
        if not 1 <= due <= MAX_WORKING_DAYS:
            raise DocumentError(
                _("Give the deadline as 1 to %(n)s working days.") % {"n": MAX_WORKING_DAYS}, field=field
            )
        return working_days_due(agency=agency, start=now, days=due)
    if isinstance(due, dt.datetime):
        moment = due if timezone.is_aware(due) else timezone.make_aware(due)
    else:
        cal = calendar_for_unit(agency)
        moment = dt.datetime.combine(due, cal.sessions[-1][1], tzinfo=cal.zone)
    if timezone.localtime(moment).date() < timezone.localtime(now).date():
        raise DocumentError(_("The deadline cannot be before today."), field=field)
    if moment <= now:
        raise DocumentError(_("This deadline has already passed; choose a later one."), field=field)
    return moment


def _inside(target: Target, within: Unit) -> bool:
    if isinstance(target, Unit):
        return target.valid_to is None and target.path.startswith(within.path)
    return (
        RoleAssignment.objects.active()
        .filter(user_id=target.pk, unit__path__startswith=within.path, unit__valid_to__isnull=True)
        .exists()
    )


def _check_targets(
    lead: Sequence[Target], co: Sequence[Target], informed: Sequence[Target], within: Unit
) -> None:
    if len(lead) > 1:
        raise DocumentError(_("Choose exactly one lead handler."), field="lead")
    if not lead and co:
        raise DocumentError(_("Choose the lead handler of this work."), field="lead")
    if not lead and not informed:
        raise DocumentError(_("Choose the lead handler, or those to inform."), field="lead")
    seen: set[tuple[str, int]] = set()
    for field, group in (("lead", lead), ("co_handlers", co), ("informed", informed)):
        for target in group:
            key = ("unit" if isinstance(target, Unit) else "person", target.pk)
            if key in seen:
                raise DocumentError(
                    _("%(name)s is named twice; give each handler one role.") % {"name": _name(target)},
                    field=field,
                )
            seen.add(key)
            if not _inside(target, within):
                raise DocumentError(
                    _("%(name)s is not in %(unit)s: you can only assign work within your units.")
                    % {"name": _name(target), "unit": within.name},
                    field=field,
                )


def _name(target: Target) -> str:
    return target.name if isinstance(target, Unit) else target.get_full_name()


def _as_list(value: Target | Sequence[Target] | None) -> list[Target]:
    if value is None:
        return []
    if isinstance(value, (Unit, User)):
        return [value]
    return list(value)


def _clean_text(text: str, *, limit: int, field: str = "text", required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DocumentError(_("This field is required."), field=field)
    if len(text) > limit:
        raise DocumentError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return text


# --- direction and forwarding -----------------------------------------------------------


def _direction_write(
    *,
    entry: Entry,
    parent: Assignment | None,
    text: str,
    targets: tuple[list[Target], list[Target], list[Target]],
    due_at: dt.datetime | None,
    by: Actor,
    on_behalf_of: User | None,
) -> Direction:
    now = timezone.now()
    direction = Direction.objects.create(
        entry=entry, parent=parent, by=by, on_behalf_of=on_behalf_of, text=text, due_at=due_at, at=now
    )
    roles = (AssignmentRole.LEAD, AssignmentRole.CO, AssignmentRole.INFORM)
    for role, group in zip(roles, targets, strict=True):
        for target in group:
            assignment = Assignment.objects.create(
                entry=entry,
                direction=direction,
                role=role,
                unit=target if isinstance(target, Unit) else None,
                person=target if isinstance(target, User) else None,
                assigned_by=by,
                due_at=due_at if role != AssignmentRole.INFORM else None,
                state=AssignmentState.PENDING,
                created_at=now,
            )
            subject = (
                _("For information: %(doc)s")
                if role == AssignmentRole.INFORM
                else _("New assignment: %(doc)s")
            ) % {"doc": entry.document}
            body = _("%(role)s. Deadline: %(due)s. Direction: %(text)s") % {
                "role": assignment.get_role_display(),
                "due": local_text(assignment.due_at),
                "text": text or "—",
            }
            tell(people_of(assignment), kind="documents.assigned", subject=subject, entry=entry, body=body)
    return direction


def _audit_direction(direction: Direction, targets: tuple[list[Target], ...], by: Actor) -> None:
    def keys(group: list[Target]) -> list[str]:
        return [f"{'unit' if isinstance(t, Unit) else 'person'}:{t.pk}" for t in group]

    audit(
        AuditEvent.DOCUMENT_DIRECTED,
        by=by,
        target=direction.entry,
        scope=direction.entry.agency,
        direction=direction.pk,
        parent=direction.parent_id,
        lead=keys(targets[0]),
        co=keys(targets[1]),
        informed=keys(targets[2]),
        due_at=direction.due_at.isoformat() if direction.due_at else None,
        on_behalf_of=direction.on_behalf_of_id,
    )


@transaction.atomic
def entry_direct(
    *,
    entry: Entry,
    text: str,
    lead: Target | Sequence[Target] | None,
    co_handlers: Sequence[Target] = (),
    informed: Sequence[Target] = (),
    due: Due = None,
    by: Actor,
) -> Direction:
    """The leader's direction: one lead (unit or person of the agency), co-handlers, those to
    inform and a deadline. The entry is then being handled, or filed when only for information."""
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("agency", "document").get(pk=entry.pk)
    )
    require(Action.DIRECT, by, entry)
    text = _clean_text(text, limit=2000)
    targets = (_as_list(lead), list(co_handlers), list(informed))
    _check_targets(*targets, within=entry.agency)
    now = timezone.now()
    due_at = deadline_from(agency=entry.agency, due=due, now=now) if targets[0] else None
    principal = None
    if entry.submitted_to_id not in (None, by.pk) and entry.submitted_to_id in delegators_of(by):
        principal = entry.submitted_to
    direction = _direction_write(
        entry=entry, parent=None, text=text, targets=targets, due_at=due_at, by=by, on_behalf_of=principal
    )
    entry.state = EntryState.IN_PROGRESS if targets[0] else EntryState.FILED
    entry.due_at = due_at
    entry.save(update_fields=["state", "due_at"])
    _audit_direction(direction, targets, by)
    return direction


@transaction.atomic
def assignment_forward(
    *,
    assignment: Assignment,
    text: str,
    lead: Target | Sequence[Target] | None,
    co_handlers: Sequence[Target] = (),
    informed: Sequence[Target] = (),
    due: Due = None,
    by: Actor,
) -> Direction:
    """A head hands an assigned unit's work to a specialist or a division below, with a
    deadline no later than the one they were given."""
    assignment = _locked(assignment)
    require(Action.FORWARD, by, assignment)
    assert assignment.unit is not None
    text = _clean_text(text, limit=2000)
    targets = (_as_list(lead), list(co_handlers), list(informed))
    _check_targets(*targets, within=assignment.unit)
    if any(isinstance(t, Unit) and t.pk == assignment.unit_id for group in targets for t in group):
        raise DocumentError(_("Forward the work to a person or a division below your unit."), field="lead")
    now = timezone.now()
    entry = assignment.entry
    due_at = deadline_from(agency=entry.agency, due=due, now=now) if targets[0] else None
    if targets[0] and due_at is None:
        due_at = assignment.due_at
    if due_at and assignment.due_at and due_at > assignment.due_at:
        raise DocumentError(
            _(
                "The deadline cannot be later than the one you were given (%(due)s): "
                "that would be an extension past the parent's deadline; ask for an extension instead."
            )
            % {"due": local_text(assignment.due_at)},
            field="due",
        )
    direction = _direction_write(
        entry=entry, parent=assignment, text=text, targets=targets, due_at=due_at, by=by, on_behalf_of=None
    )
    _start(assignment, now)
    _audit_direction(direction, targets, by)
    return direction


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("entry__agency", "entry__document", "direction", "unit", "person")
        .get(pk=assignment.pk)
    )


def _start(assignment: Assignment, now: dt.datetime) -> None:
    if assignment.state == AssignmentState.PENDING:
        assignment.state = AssignmentState.IN_PROGRESS
        assignment.started_at = now
        assignment.save(update_fields=["state", "started_at"])


def _note(assignment: Assignment, *, kind: str, text: str, files: Sequence[Any], by: Actor) -> HandlingNote:
    note = HandlingNote.objects.create(assignment=assignment, kind=kind, by=by, text=text, at=timezone.now())
    for upload in files:
        document_file_store(
            document=assignment.entry.document, upload=upload, role=FileRole.WORKING, by=by, note=note
        )
    return note


def parent_deadline(assignment: Assignment) -> dt.datetime | None:
    parent = assignment.direction.parent
    return parent.due_at if parent is not None else None


def is_top_lead(assignment: Assignment) -> bool:
    return assignment.role == AssignmentRole.LEAD and assignment.direction.parent_id is None
