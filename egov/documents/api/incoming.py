"""API: incoming documents — the entries the caller may see, registration (multipart, with the
scan or file), submission to a leader and return to the sender. The same services as the pages;
refusals in the standard shapes (403 not allowed, 422 wrong state or bad input, with the field)."""

import datetime as dt
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.schema import Block, Day, Line
from egov.documents import selectors, services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import (
    AccessKind,
    DocumentType,
    Entry,
    EntryState,
    Medium,
    Register,
    Secrecy,
    Urgency,
)
from egov.documents.permissions import entries_visible_to
from egov.documents.workflow import available_actions

router = Router(tags=["documents"])


class EntryOut(Schema):
    id: int
    agency_id: int
    state: str
    register_id: int | None
    year: int | None
    arrival_number: int | None
    arrived_at: dt.datetime
    medium: str
    submit_due_at: dt.datetime | None
    submitted_to_id: int | None
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    duplicate_of_id: int | None
    document_id: int
    doc_type: str
    number: str
    notation: str
    issued_on: dt.date | None
    issuer_name: str
    subject: str
    urgency: str
    secrecy: str
    actions: list[str]


def entry_out(entry: Entry, user: Any) -> dict[str, Any]:
    doc = entry.document
    return {
        **{f: getattr(entry, f) for f in _ENTRY_FIELDS},
        "document_id": doc.pk,
        **{f: getattr(doc, f) for f in _DOC_FIELDS},
        "actions": [str(a) for a in available_actions(user, entry)],
    }


_ENTRY_FIELDS = (
    "id",
    "agency_id",
    "state",
    "register_id",
    "year",
    "arrival_number",
    "arrived_at",
    "medium",
    "submit_due_at",
    "submitted_to_id",
    "due_at",
    "done_at",
    "duplicate_of_id",
)
_DOC_FIELDS = ("doc_type", "number", "notation", "issued_on", "issuer_name", "subject", "urgency", "secrecy")


class Mapped:
    """A queryset seen through a function, for ``@paginate``: only the page asked for is read
    and turned into answers (a list comprehension would read every row first)."""

    def __init__(self, qs: Any, fn: Any) -> None:
        self.qs, self.fn = qs, fn

    def all(self) -> "Mapped":
        return self

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[Any]:
        return [self.fn(x) for x in self.qs[part]]


def refused(exc: DocumentError, rename: dict[str, str] | None = None) -> Status[dict[str, Any]]:
    """A service's refusal: 403 when the caller may never do it, else 422 with the field (named
    as in the request: ``rename`` maps the service's names to the payload's)."""
    if isinstance(exc, ActionForbidden):
        raise PermissionDenied(str(exc))
    field = (rename or {}).get(exc.field or "", exc.field) or "__all__"
    return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))


def staff(request: HttpRequest) -> User:
    if not is_staff_user(request.user):
        raise Http404  # the staff API does not exist for citizens
    return cast(User, request.user)


class EntryFilters(Schema):
    state: EntryState | None = None


@router.get("/entries", response={200: list[EntryOut], **SIGNED_IN_ERRORS}, summary="Incoming documents")
@paginate(PageNumberPagination, page_size=50)
def entries_list(request: HttpRequest, filters: Query[EntryFilters]) -> Any:
    user = staff(request)
    qs = entries_visible_to(user).select_related("document").order_by("-arrived_at", "-pk")
    if filters.state:
        qs = qs.filter(state=filters.state)
    return Mapped(qs, lambda e: entry_out(e, user))


@router.get(
    "/entries/{int:entry_id}", response={200: EntryOut, **OBJECT_ERRORS}, summary="One incoming document"
)
def entry_get(request: HttpRequest, entry_id: int) -> Any:
    user = staff(request)
    entry = selectors.entry_get_for_user(user=user, pk=entry_id)
    services.access_record(document=entry.document, user=user, kind=AccessKind.VIEW)
    return entry_out(entry, user)


class RegisterIn(Schema):
    register_id: int
    medium: Medium = Medium.PAPER
    doc_type: DocumentType
    number: Annotated[Line, Field(max_length=11)] = ""
    notation: Annotated[Line, Field(max_length=30)] = ""
    issued_on: Day | None = None
    issuer_name: Annotated[Line, Field(min_length=1, max_length=200)]
    issuer_code: Annotated[Line, Field(max_length=35)] = ""
    subject: Annotated[Line, Field(max_length=500)] = ""
    description: Annotated[Line, Field(max_length=500)] = ""
    signer_position: Annotated[Line, Field(max_length=100)] = ""
    signer_name: Annotated[Line, Field(max_length=50)] = ""
    urgency: Urgency = Urgency.NORMAL
    secrecy: Secrecy = Secrecy.NONE
    page_count: Annotated[int, Field(ge=1, le=100000)] | None = None
    due_on: Day | None = None
    identifier: Annotated[Line, Field(max_length=120)] = ""
    accept_duplicate: bool = False


@router.post(
    "/entries",
    response={201: EntryOut, **OBJECT_ERRORS},
    summary="Register an incoming document (multipart: fields and the scan or file)",
)
def entry_register(
    request: HttpRequest, payload: Form[RegisterIn], file: File[UploadedFile] | None = None
) -> Any:
    user = staff(request)
    register = get_object_or_404(Register.objects.select_related("agency"), pk=payload.register_id)
    data = payload.dict()
    meta = services.DocumentIn(
        **{k: data[k] for k in ("doc_type", "subject", "issuer_name", "number", "notation", "issuer_code")},
        **{k: data[k] for k in ("description", "signer_position", "signer_name", "urgency", "secrecy")},
        issued_on=payload.issued_on,
        page_count=payload.page_count,
        due_on=payload.due_on,
        identifier=payload.identifier,
    )
    try:
        entry = services.entry_register(
            agency=register.agency,
            register=register,
            meta=meta,
            medium=payload.medium,
            main_file=file,
            accept_duplicate=payload.accept_duplicate,
            by=user,
        )
    except services.DuplicateEntry as exc:
        fields = {"number": [str(exc)], "duplicate_of": [str(exc.existing.pk)]}
        return Status(422, error_body("duplicate", str(exc), fields))
    except DocumentError as exc:
        return refused(exc)
    return Status(201, entry_out(entry, user))


class SubmitIn(Schema):
    leader_id: int
    register_id: int | None = None


@router.post(
    "/entries/{int:entry_id}/submit", response={200: EntryOut, **OBJECT_ERRORS}, summary="Submit to a leader"
)
def entry_submit(request: HttpRequest, entry_id: int, payload: SubmitIn) -> Any:
    user = staff(request)
    entry = selectors.entry_get_for_user(user=user, pk=entry_id)
    leader = User.objects.filter(pk=payload.leader_id).first()
    try:
        if leader is None:
            raise DocumentError(_("Choose a leader of this agency."), field="leader_id")
        if entry.arrival_number is None and payload.register_id is not None:
            register = get_object_or_404(Register, pk=payload.register_id)
            entry = services.entry_number(entry=entry, register=register, by=user)
        entry = services.entry_submit(entry=entry, leader=leader, by=user)
    except DocumentError as exc:
        return refused(exc)
    return entry_out(entry, user)


class ReturnIn(Schema):
    reason: Annotated[Block, Field(min_length=1, max_length=1000)]


@router.post(
    "/entries/{int:entry_id}/return",
    response={200: EntryOut, **OBJECT_ERRORS},
    summary="Return to the sender",
)
def entry_return(request: HttpRequest, entry_id: int, payload: ReturnIn) -> Any:
    user = staff(request)
    entry = selectors.entry_get_for_user(user=user, pk=entry_id)
    try:
        entry = services.entry_return(entry=entry, reason=payload.reason, by=user)
    except DocumentError as exc:
        return refused(exc)
    return entry_out(entry, user)
