"""API: the leader's direction and the handlers' work — direct, forward, notes (multipart, with
an optional file), extension requests and decisions, done and acceptance, and the inbox."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.models import User
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS
from egov.core.schema import Block, Day
from egov.documents import selectors, selectors_handling, services
from egov.documents.api.incoming import refused, staff
from egov.documents.errors import DocumentError
from egov.documents.models import Assignment, AssignmentRole, Direction
from egov.documents.workflow import available_actions
from egov.orgs.models import Unit

router = Router(tags=["documents"])


class AssignmentOut(Schema):
    id: int
    entry_id: int
    direction_id: int
    role: str
    unit_id: int | None
    person_id: int | None
    assigned_by_id: int
    state: str
    due_at: dt.datetime | None
    deadline: str
    subject: str
    actions: list[str]


def assignment_out(a: Assignment, user: Any) -> dict[str, Any]:
    fields = (
        "id",
        "entry_id",
        "direction_id",
        "role",
        "unit_id",
        "person_id",
        "assigned_by_id",
        "state",
        "due_at",
    )
    return {
        **{f: getattr(a, f) for f in fields},
        "deadline": selectors_handling.deadline_bucket(a.due_at, open_=a.state in ("pending", "in_progress")),
        "subject": a.entry.document.subject,
        "actions": [str(x) for x in available_actions(user, a)],
    }


class DirectionOut(Schema):
    id: int
    entry_id: int
    parent_id: int | None
    on_behalf_of_id: int | None
    due_at: dt.datetime | None
    assignment_ids: list[int]


def direction_out(d: Direction) -> dict[str, Any]:
    return {
        "id": d.pk,
        "entry_id": d.entry_id,
        "parent_id": d.parent_id,
        "on_behalf_of_id": d.on_behalf_of_id,
        "due_at": d.due_at,
        "assignment_ids": list(d.assignments.values_list("pk", flat=True)),
    }


class TargetIn(Schema):
    """A unit or a person (exactly one of the two)."""

    unit_id: int | None = None
    person_id: int | None = None


class DirectIn(Schema):
    text: Annotated[Block, Field(max_length=2000)] = ""
    lead: TargetIn | None = None
    co_handlers: Annotated[list[TargetIn], Field(max_length=50)] = []
    informed: Annotated[list[TargetIn], Field(max_length=200)] = []
    due_days: Annotated[int, Field(ge=1, le=365)] | None = None
    due_on: Day | None = None


def _target(t: TargetIn, field: str) -> Unit | User:
    found: Unit | User | None = None
    if t.unit_id is not None and t.person_id is None:
        found = Unit.objects.filter(pk=t.unit_id).first()
    elif t.person_id is not None and t.unit_id is None:
        found = User.objects.filter(pk=t.person_id).first()
    if found is None:
        raise DocumentError(_("Name one unit or one person that exists."), field=field)
    return found


def _direction_args(payload: DirectIn) -> dict[str, Any]:
    return {
        "text": payload.text,
        "lead": _target(payload.lead, "lead") if payload.lead else None,
        "co_handlers": [_target(t, "co_handlers") for t in payload.co_handlers],
        "informed": [_target(t, "informed") for t in payload.informed],
        "due": payload.due_days or payload.due_on,
    }


def _due_name(payload: DirectIn) -> dict[str, str]:
    return {"due": "due_days" if payload.due_days else "due_on"}


@router.post(
    "/entries/{int:entry_id}/direct",
    response={201: DirectionOut, **OBJECT_ERRORS},
    summary="Give the direction",
)
def entry_direct(request: HttpRequest, entry_id: int, payload: DirectIn) -> Any:
    user = staff(request)
    entry = selectors.entry_get_for_user(user=user, pk=entry_id)
    try:
        direction = services.entry_direct(entry=entry, by=user, **_direction_args(payload))
    except DocumentError as exc:
        return refused(exc, _due_name(payload))
    return Status(201, direction_out(direction))


@router.post(
    "/assignments/{int:assignment_id}/forward",
    response={201: DirectionOut, **OBJECT_ERRORS},
    summary="Forward an assigned unit's work down the hierarchy",
)
def assignment_forward(request: HttpRequest, assignment_id: int, payload: DirectIn) -> Any:
    user = staff(request)
    assignment = selectors.assignment_get_for_user(user=user, pk=assignment_id)
    try:
        direction = services.assignment_forward(assignment=assignment, by=user, **_direction_args(payload))
    except DocumentError as exc:
        return refused(exc, _due_name(payload))
    return Status(201, direction_out(direction))


class InboxFilters(Schema):
    role: AssignmentRole | None = None


@router.get(
    "/inbox", response={200: list[AssignmentOut], **SIGNED_IN_ERRORS}, summary="The caller's open assignments"
)
@paginate(PageNumberPagination, page_size=50)
def inbox(request: HttpRequest, filters: Query[InboxFilters]) -> Any:
    user = staff(request)
    return [assignment_out(a, user) for a in selectors.handler_assignments(user, role=filters.role)]


@router.get(
    "/assignments/{int:assignment_id}",
    response={200: AssignmentOut, **OBJECT_ERRORS},
    summary="One assignment",
)
def assignment_get(request: HttpRequest, assignment_id: int) -> Any:
    user = staff(request)
    return assignment_out(selectors.assignment_get_for_user(user=user, pk=assignment_id), user)


class NoteIn(Schema):
    text: Annotated[Block, Field(max_length=4000)]
    kind: Literal["progress", "opinion"] = "progress"


@router.post(
    "/assignments/{int:assignment_id}/notes",
    response={201: AssignmentOut, **OBJECT_ERRORS},
    summary="Record progress or an opinion (multipart, optional file)",
)
def assignment_note(
    request: HttpRequest, assignment_id: int, payload: Form[NoteIn], file: File[UploadedFile] | None = None
) -> Any:
    user = staff(request)
    assignment = selectors.assignment_get_for_user(user=user, pk=assignment_id)
    try:
        services.assignment_note(
            assignment=assignment, text=payload.text, kind=payload.kind, files=[file] if file else [], by=user
        )
    except DocumentError as exc:
        return refused(exc)
    assignment.refresh_from_db()
    return Status(201, assignment_out(assignment, user))


class ExtensionIn(Schema):
    due_on: Day
    reason: Annotated[Block, Field(max_length=1000)]


class ExtensionOut(Schema):
    id: int
    assignment_id: int
    state: str
    due_at: dt.datetime


@router.post(
    "/assignments/{int:assignment_id}/extensions",
    response={201: ExtensionOut, **OBJECT_ERRORS},
    summary="Ask for an extension",
)
def extension_request(request: HttpRequest, assignment_id: int, payload: ExtensionIn) -> Any:
    user = staff(request)
    assignment = selectors.assignment_get_for_user(user=user, pk=assignment_id)
    try:
        x = services.extension_request(
            assignment=assignment, due=payload.due_on, reason=payload.reason, by=user
        )
    except DocumentError as exc:
        return refused(exc)
    return Status(201, {"id": x.pk, "assignment_id": x.assignment_id, "state": x.state, "due_at": x.due_at})


class DecisionIn(Schema):
    grant: bool
    note: Annotated[Block, Field(max_length=1000)] = ""


@router.post(
    "/extensions/{int:extension_id}/decide",
    response={200: ExtensionOut, **OBJECT_ERRORS},
    summary="Grant or refuse an extension",
)
def extension_decide(request: HttpRequest, extension_id: int, payload: DecisionIn) -> Any:
    user = staff(request)
    x = selectors_handling.extension_get_for_user(user=user, pk=extension_id)
    try:
        x = services.extension_decide(request=x, grant=payload.grant, note=payload.note, by=user)
    except DocumentError as exc:
        return refused(exc)
    return {"id": x.pk, "assignment_id": x.assignment_id, "state": x.state, "due_at": x.due_at}


class DoneIn(Schema):
    text: Annotated[Block, Field(max_length=4000)]


@router.post(
    "/assignments/{int:assignment_id}/done",
    response={200: AssignmentOut, **OBJECT_ERRORS},
    summary="Report done",
)
def assignment_done(request: HttpRequest, assignment_id: int, payload: DoneIn) -> Any:
    user = staff(request)
    assignment = selectors.assignment_get_for_user(user=user, pk=assignment_id)
    try:
        assignment = services.assignment_report_done(assignment=assignment, text=payload.text, by=user)
    except DocumentError as exc:
        return refused(exc)
    return assignment_out(assignment, user)


class AcceptIn(Schema):
    accept: bool
    note: Annotated[Block, Field(max_length=4000)] = ""


@router.post(
    "/assignments/{int:assignment_id}/accept",
    response={200: AssignmentOut, **OBJECT_ERRORS},
    summary="Accept a reported completion, or reopen the work",
)
def assignment_accept(request: HttpRequest, assignment_id: int, payload: AcceptIn) -> Any:
    user = staff(request)
    assignment = selectors.assignment_get_for_user(user=user, pk=assignment_id)
    try:
        assignment = services.assignment_accept_done(
            assignment=assignment, accept=payload.accept, note=payload.note, by=user
        )
    except DocumentError as exc:
        return refused(exc)
    return assignment_out(assignment, user)
