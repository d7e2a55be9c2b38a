"""API: registers (list, create, update, lines of a year), the handling report and the access
log. The same services, reads and rules as the pages."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.schema import Day, Line
from egov.documents import stats
from egov.documents.errors import DocumentError
from egov.documents.models import Document, DocumentType, Entry, Register, RegisterKind
from egov.documents.permissions import can_administer, can_read_access_log
from egov.documents.selectors import register_get_for_user
from egov.documents.services import registers as services
from egov.orgs.models import Unit

router = Router(tags=["documents"])

KEEPERS = {str(r) for r in (Role.CLERK, Role.AGENCY_LEADER, Role.UNIT_ADMIN)}


class RegisterOut(Schema):
    id: int
    agency_id: int
    kind: str
    name: str
    code: str
    is_secret: bool
    document_types: list[str]
    is_active: bool


class RegisterIn(Schema):
    agency_id: int
    kind: RegisterKind
    name: Annotated[Line, Field(min_length=1, max_length=200)]
    code: Annotated[Line, Field(min_length=1, max_length=20)]
    is_secret: bool = False
    document_types: Annotated[list[DocumentType], Field(max_length=40)] = []
    is_active: bool = True


class LineOut(Schema):
    """One line of a register: an arrival number (incoming) or an issued number (outgoing)."""

    number: int | None
    date: dt.date | None
    document_id: int
    number_notation: str
    issuer_name: str
    subject: str
    state: str

    # Resolved from an Entry (incoming) or a Document (outgoing), so the paginator slices the
    # queryset in the database rather than a list of every line of the year.
    @staticmethod
    def resolve_number(obj: Any) -> int | None:
        return obj.arrival_number if isinstance(obj, Entry) else obj.sequence

    @staticmethod
    def resolve_date(obj: Any) -> dt.date | None:
        return timezone.localtime(obj.arrived_at).date() if isinstance(obj, Entry) else obj.issued_on

    @staticmethod
    def resolve_document_id(obj: Any) -> int:
        return int(obj.document_id if isinstance(obj, Entry) else obj.pk)

    @staticmethod
    def resolve_number_notation(obj: Any) -> str:
        return str(_doc(obj).number_notation)

    @staticmethod
    def resolve_issuer_name(obj: Any) -> str:
        return str(_doc(obj).issuer_name)

    @staticmethod
    def resolve_subject(obj: Any) -> str:
        return str(_doc(obj).subject)


def _doc(obj: Any) -> Document:
    return obj.document if isinstance(obj, Entry) else obj


class StatusOut(Schema):
    key: str
    id: int
    label: str
    done_on_time: int
    done_late: int
    in_progress_within: int
    in_progress_overdue: int


class ReportOut(Schema):
    agency_id: int
    start: dt.date
    end: dt.date
    total: StatusOut
    units: list[StatusOut]
    people: list[StatusOut]


class LinesQuery(Schema):
    year: Annotated[int, Field(ge=1900, le=2199)] | None = None


class PeriodQuery(Schema):
    agency_id: int
    start: Day
    end: Day


class AccessLogQuery(Schema):
    agency_id: int
    person: Annotated[Line, Field(max_length=150)] = ""
    document: Annotated[Line, Field(max_length=200)] = ""
    start: Day | None = None
    end: Day | None = None


class AccessOut(Schema):
    at: dt.datetime
    user_id: int
    user_name: str
    kind: str
    document_id: int
    file_id: int | None

    @staticmethod
    def resolve_user_name(obj: Any) -> str:
        return str(obj.user.get_full_name() or obj.user.username)


def _register_out(r: Register) -> dict[str, Any]:
    return {
        "id": r.pk,
        "agency_id": r.agency_id,
        "kind": r.kind,
        "name": r.name,
        "code": r.code,
        "is_secret": r.is_secret,
        "document_types": list(r.document_types),
        "is_active": r.is_active,
    }


def _refused(exc: DocumentError) -> Status[dict[str, Any]]:
    field = exc.field or "__all__"
    return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))


@router.get(
    "/registers",
    response={200: list[RegisterOut], **SIGNED_IN_ERRORS},
    summary="Registers the caller keeps, leads or administers",
)
def registers_list(request: HttpRequest) -> Any:
    if not is_staff_user(request.user):
        raise PermissionDenied(_("Registers are for civil servants."))
    agencies = stats.agencies_for(request.user, KEEPERS)
    qs = Register.objects.filter(agency__in=agencies).order_by("agency__path", "kind", "code")
    return [_register_out(r) for r in qs]


@router.post(
    "/registers",
    response={201: RegisterOut, **OBJECT_ERRORS},
    summary="Create a register (unit administrator)",
)
def register_create(request: HttpRequest, payload: RegisterIn) -> Any:
    agency = get_object_or_404(Unit, pk=payload.agency_id)
    if not can_administer(request.user, agency):
        raise PermissionDenied(_("You do not administer the office work of this agency."))
    try:
        saved = services.register_save(agency=agency, by=request.user, **_fields(payload))  # type: ignore[arg-type]
    except DocumentError as exc:
        return _refused(exc)
    return Status(201, _register_out(saved))


def _fields(payload: RegisterIn) -> dict[str, Any]:
    return {
        "kind": str(payload.kind),
        "name": payload.name,
        "code": payload.code,
        "is_secret": payload.is_secret,
        "document_types": [str(t) for t in payload.document_types],
        "is_active": payload.is_active,
    }


@router.put(
    "/registers/{int:register_id}",
    response={200: RegisterOut, **OBJECT_ERRORS},
    summary="Change a register (unit administrator)",
)
def register_update(request: HttpRequest, register_id: int, payload: RegisterIn) -> Any:
    register = register_get_for_user(user=request.user, pk=register_id)
    if not can_administer(request.user, register.agency):
        raise PermissionDenied(_("You do not administer the office work of this agency."))
    if payload.agency_id != register.agency_id:
        return _refused(DocumentError(_("A register cannot move to another agency."), field="agency_id"))
    try:
        saved = services.register_save(
            agency=register.agency,
            by=request.user,  # type: ignore[arg-type]
            register=register,
            **_fields(payload),
        )
    except DocumentError as exc:
        return _refused(exc)
    return _register_out(saved)


@router.get(
    "/registers/{int:register_id}/lines",
    response={200: list[LineOut], **OBJECT_ERRORS},
    summary="A register's lines of a year, newest first",
)
@paginate(PageNumberPagination, page_size=50)
def register_lines(request: HttpRequest, register_id: int, query: Query[LinesQuery]) -> Any:
    register = register_get_for_user(user=request.user, pk=register_id)
    return stats.RegisterLines(register, query.year or timezone.localdate().year)


def _agency_for(request: HttpRequest, agency_id: int, allowed: Any) -> Unit:
    if not is_staff_user(request.user):
        raise PermissionDenied(_("Registers are for civil servants."))
    agency = get_object_or_404(Unit, pk=agency_id)
    if not allowed(request.user, agency):
        raise PermissionDenied(_("You may not read this agency's reports."))
    return agency


def _status(row: stats.StatusRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "id": row.pk,
        "label": row.label,
        **{b: row.counts.get(b, 0) for b in stats.BUCKETS},
    }


@router.get(
    "/registers/reports/handling",
    response={200: ReportOut, **OBJECT_ERRORS},
    summary="Handling status per unit and per person",
)
def handling_report(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    agency = _agency_for(request, query.agency_id, stats.can_read_reports)
    if query.end < query.start:
        return _refused(DocumentError(_("The period ends before it starts."), field="end"))
    report = stats.handling_report(agency=agency, start=query.start, end=query.end)
    return {
        "agency_id": agency.pk,
        "start": report.start,
        "end": report.end,
        "total": _status(report.total),
        "units": [_status(r) for r in report.units],
        "people": [_status(r) for r in report.people],
    }


@router.get(
    "/registers/access-log",
    response={200: list[AccessOut], **OBJECT_ERRORS},
    summary="Who read which document of the agency",
)
@paginate(PageNumberPagination, page_size=100)
def access_log(request: HttpRequest, query: Query[AccessLogQuery]) -> Any:
    agency = _agency_for(request, query.agency_id, can_read_access_log)
    return stats.access_log_for(
        agency=agency, person=query.person, document=query.document, start=query.start, end=query.end
    )
