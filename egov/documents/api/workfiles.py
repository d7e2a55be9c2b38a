"""API: work files (hồ sơ công việc) — the unit's yearly file plan, files (open, file and remove
documents, close, legal hold) and the Annex VI export. The same services as the pages; the
workflow table decides (403 for who, 422 for when), 404 for what the caller may not see."""

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.schema import Block, Day, Line
from egov.core.uploads import ascii_filename
from egov.documents import selectors, services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import FilePlanEntry, Retention, WorkFile
from egov.documents.services.workfile_export import index_rows
from egov.documents.workflow import Action, available_actions

router = Router(tags=["documents"])

# The services name the form's fields; the API's input names ids with "_id".
_FIELDS = {"plan_entry": "plan_entry_id", "document": "document_id", "owner": "owner_id", "unit": "unit_id"}
Year = Annotated[int, Field(ge=1900, le=2199)]
PlanCode = Annotated[Line, Field(min_length=1, max_length=20)]
Title = Annotated[Line, Field(min_length=1, max_length=500)]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not is_staff_user(user) or not isinstance(user, User):
        raise Http404  # the office API does not exist for citizens
    return user


def _refused(exc: DocumentError) -> Status[dict[str, Any]]:
    if isinstance(exc, ActionForbidden):
        raise HttpError(403, str(exc))
    if isinstance(exc, services.DocumentNotFound):
        raise Http404
    field = _FIELDS.get(exc.field or "", exc.field or "__all__")
    return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))


# ---------------------------------------------------------------- the file plan


class PlanLineOut(Schema):
    id: int
    unit_id: int
    year: int
    code: str
    title: str
    retention: str
    owner_id: int | None
    file_count: int


class PlanLineIn(Schema):
    code: PlanCode
    title: Title
    retention: Retention
    owner_id: int | None = None


class PlanLineNew(PlanLineIn):
    unit_id: int
    year: Year


class PlanFilter(Schema):
    unit_id: int
    year: Year


def _line_out(line: FilePlanEntry) -> dict[str, Any]:
    return {
        "id": line.pk,
        "unit_id": line.unit_id,
        "year": line.year,
        "code": line.code,
        "title": line.title,
        "retention": line.retention,
        "owner_id": line.owner_id,
        "file_count": getattr(line, "file_count", None) or line.files.count(),
    }


def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(pk=owner_id).first()
    if owner is None:
        raise DocumentError(_("The person in charge must work in this unit."), field="owner")
    return owner


@router.get(
    "/work-files/plan",
    response={200: list[PlanLineOut], **OBJECT_ERRORS},
    summary="A unit's file plan (danh mục hồ sơ) for a year",
)
def file_plan_list(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    user = _user(request)
    unit = selectors.work_file_unit_get_for_user(user=user, pk=filters.unit_id)
    return [_line_out(line) for line in selectors.file_plan(unit, filters.year)]


@router.post(
    "/work-files/plan", response={201: PlanLineOut, **OBJECT_ERRORS}, summary="Add a line to a file plan"
)
def file_plan_add(request: HttpRequest, payload: PlanLineNew) -> Any:
    user = _user(request)
    unit = selectors.work_file_unit_get_for_user(user=user, pk=payload.unit_id)
    try:
        line = services.file_plan_entry_save(
            unit=unit,
            year=payload.year,
            code=payload.code,
            title=payload.title,
            retention=payload.retention,
            owner=_owner(payload.owner_id),
            by=user,
        )
    except DocumentError as exc:
        return _refused(exc)
    return Status(201, _line_out(line))


@router.put(
    "/work-files/plan/{int:line_id}",
    response={200: PlanLineOut, **OBJECT_ERRORS},
    summary="Change a plan line",
)
def file_plan_change(request: HttpRequest, line_id: int, payload: PlanLineIn) -> Any:
    user = _user(request)
    line = selectors.file_plan_entry_get_for_user(user=user, pk=line_id)
    try:
        line = services.file_plan_entry_save(
            unit=line.unit,
            year=line.year,
            entry=line,
            code=payload.code,
            title=payload.title,
            retention=payload.retention,
            owner=_owner(payload.owner_id),
            by=user,
        )
    except DocumentError as exc:
        return _refused(exc)
    return Status(200, _line_out(line))


# ---------------------------------------------------------------- work files


class WorkFileOut(Schema):
    id: int
    code: str
    title: str
    unit_id: int
    plan_entry_id: int | None
    year: int
    retention: str
    owner_id: int
    state: str
    legal_hold: bool
    opened_on: dt.date
    closed_on: dt.date | None
    transfer_due_on: dt.date | None
    transfer_warned: bool
    description: str
    document_count: int
    actions: list[str]


class ItemOut(Schema):
    ordinal: int
    document_id: int
    number: str
    notation: str
    issued_on: dt.date | None
    # Null when the caller may not read the document itself (a secret one).
    subject: str | None
    issuer_name: str
    page_count: int | None


class WorkFileDetailOut(WorkFileOut):
    page_count: int
    documents: list[ItemOut]


class ListFilter(Schema):
    view: Literal["open", "closed", "due", "held", "all"] = "open"
    year: Year | None = None


class OpenIn(Schema):
    plan_entry_id: int | None = None
    unit_id: int | None = None
    code: Annotated[Line, Field(max_length=20)] = ""
    title: Annotated[Line, Field(max_length=500)] = ""
    retention: Retention | Literal[""] = ""
    description: Annotated[Block, Field(max_length=500)] = ""


def _file_out(work_file: WorkFile, user: User) -> dict[str, Any]:
    count = getattr(work_file, "document_count", None)
    return {
        "id": work_file.pk,
        "code": work_file.code,
        "title": work_file.title,
        "unit_id": work_file.unit_id,
        "plan_entry_id": work_file.plan_entry_id,
        "year": work_file.year,
        "retention": work_file.retention,
        "owner_id": work_file.owner_id,
        "state": work_file.state,
        "legal_hold": work_file.legal_hold,
        "opened_on": work_file.opened_on,
        "closed_on": work_file.closed_on,
        "transfer_due_on": work_file.transfer_due_on,
        "transfer_warned": work_file.transfer_warned_at is not None,
        "description": work_file.description,
        "document_count": count if count is not None else work_file.items.count(),
        "actions": [str(a) for a in available_actions(user, work_file)],
    }


def _detail(work_file: WorkFile, user: User) -> dict[str, Any]:
    rows = index_rows(work_file, user)
    documents = [
        {
            "ordinal": r.ordinal,
            "document_id": r.document.pk,
            "number": r.document.number,
            "notation": r.document.notation,
            "issued_on": r.document.issued_on,
            "subject": r.document.subject if r.readable else None,
            "issuer_name": r.document.issuer_name,
            "page_count": r.document.page_count,
        }
        for r in rows
    ]
    pages = sum(r.document.page_count or 0 for r in rows)
    return {**_file_out(work_file, user), "page_count": pages, "documents": documents}


@router.get(
    "/work-files",
    response={200: list[WorkFileOut], **SIGNED_IN_ERRORS},
    summary="Work files the caller may read",
)
@paginate(PageNumberPagination, page_size=50)
def work_files_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    user = _user(request)
    qs = selectors.work_files_list_for_user(
        user, view=filters.view, year=filters.year, today=timezone.localdate()
    )
    return [_file_out(f, user) for f in qs]


@router.post("/work-files", response={201: WorkFileDetailOut, **OBJECT_ERRORS}, summary="Open a work file")
def work_file_open(request: HttpRequest, payload: OpenIn) -> Any:
    """From a line of the plan (``plan_entry_id``) or ad hoc (``unit_id``, ``code``, ``title``,
    ``retention``)."""
    user = _user(request)
    line = (
        selectors.file_plan_entry_get_for_user(user=user, pk=payload.plan_entry_id)
        if payload.plan_entry_id
        else None
    )
    if line is None and payload.unit_id is None:
        return Status(
            422,
            error_body(
                "invalid",
                _("Choose the unit, or a line of the plan."),
                {"unit_id": [_("Choose the unit, or a line of the plan.")]},
            ),
        )
    unit = line.unit if line else selectors.work_file_unit_get_for_user(user=user, pk=payload.unit_id or 0)
    try:
        work_file = services.work_file_open(
            unit=unit,
            plan_entry=line,
            notation=payload.code,
            title=payload.title,
            retention=payload.retention,
            description=payload.description,
            by=user,
        )
    except DocumentError as exc:
        return _refused(exc)
    return Status(201, _detail(work_file, user))


@router.get(
    "/work-files/{int:work_file_id}",
    response={200: WorkFileDetailOut, **OBJECT_ERRORS},
    summary="A work file and its index of documents",
)
def work_file_detail(request: HttpRequest, work_file_id: int) -> Any:
    user = _user(request)
    return _detail(selectors.work_file_get_for_user(user=user, pk=work_file_id), user)


# Before the actions' route: "/{action}" would otherwise take "/export".
class ExportFilter(Schema):
    files: bool = False


@router.get(
    "/work-files/{int:work_file_id}/export",
    response={200: None, **OBJECT_ERRORS},
    summary="Export a closed work file: ZIP with the PDF (cover, index) and the XML, optionally the files",
    openapi_extra={
        "responses": {"200": {"description": "application/zip", "content": {"application/zip": {}}}}
    },
)
def work_file_export(request: HttpRequest, work_file_id: int, filters: Query[ExportFilter]) -> Any:
    user = _user(request)
    work_file = selectors.work_file_get_for_user(user=user, pk=work_file_id)
    try:
        export = services.work_file_export(work_file=work_file, by=user, include_files=filters.files)
    except DocumentError as exc:
        return _refused(exc)
    response = HttpResponse(export.content, content_type=export.content_type)
    # As the pages' downloads do: an ASCII name for old clients, the UTF-8 name beside it.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename(export.name)}\"; filename*=UTF-8''{quote(export.name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ActionIn(Schema):
    document_id: int | None = None
    reason: Annotated[Block, Field(max_length=1000)] = ""
    closed_on: Day | None = None


API_ACTIONS = {
    "add": Action.FILE_ADD,
    "remove": Action.FILE_REMOVE,
    "close": Action.FILE_CLOSE,
    "hold": Action.FILE_HOLD,
    "release": Action.FILE_RELEASE,
}


@router.post(
    "/work-files/{int:work_file_id}/{action}",
    response={200: WorkFileDetailOut, **OBJECT_ERRORS},
    summary="Act on a work file: add, remove (document_id), close (closed_on), hold, release (reason)",
)
def work_file_act(request: HttpRequest, work_file_id: int, action: str, payload: ActionIn) -> Any:
    user = _user(request)
    work_file = selectors.work_file_get_for_user(user=user, pk=work_file_id)
    if action not in API_ACTIONS:
        raise Http404
    try:
        _run(work_file, action, payload, user)
    except DocumentError as exc:
        return _refused(exc)
    work_file.refresh_from_db()
    return Status(200, _detail(work_file, user))


def _run(work_file: WorkFile, action: str, payload: ActionIn, user: User) -> None:
    if action in ("add", "remove"):
        if payload.document_id is None:
            raise DocumentError(_("Choose the document."), field="document")
        document = selectors.document_get_for_user(user=user, pk=payload.document_id)
        if action == "add":
            services.work_file_add_document(work_file=work_file, document=document, by=user)
        else:
            services.work_file_remove_document(
                work_file=work_file, document=document, reason=payload.reason, by=user
            )
    elif action == "close":
        services.work_file_close(work_file=work_file, closed_on=payload.closed_on, by=user)
    elif action == "hold":
        services.work_file_hold(work_file=work_file, reason=payload.reason, by=user)
    else:
        services.work_file_release(work_file=work_file, reason=payload.reason, by=user)
