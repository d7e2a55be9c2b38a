"""Catalogue API: public reads of the published catalogue, writes for catalogue officers."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.types import AuthedRequest
from egov.catalog import selectors, services
from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData
from egov.catalog.models import (
    ApplicantType,
    BudgetUnit,
    Channel,
    FeeCollection,
    FeeKind,
    HandlingLevel,
    OnlineLevel,
    ProcedureVersion,
    StepRole,
    StepUnitKind,
    SupplementMode,
    TimeUnit,
)
from egov.catalog.permissions import can_edit_catalogue
from egov.core.api import OBJECT_ERRORS, PUBLIC_ERRORS, ErrorOut, error_body
from egov.core.schema import Amount, Block, Count, Day, Line

router = Router(tags=["procedures"])


class ChannelOut(Schema):
    channel: str
    time_amount: int
    time_unit: str
    fee_kind: str
    fee_amount: int
    fee_collection: str
    fee_note: str


class PaperOut(Schema):
    order: int
    name: str
    originals: int
    certified_copies: int
    photocopies: int
    optional: bool = False


class StepOut(Schema):
    level: str
    order: int
    name: str
    role: str
    unit_kind: str
    budget_amount: int
    budget_unit: str
    handover_to: str


class ProcedureSummaryOut(Schema):
    code: str
    version: int
    name: str
    field_code: str
    field_name: str
    levels: list[str]
    online_level: str


class ProcedureOut(ProcedureSummaryOut):
    status: str
    published_code: str
    is_example_code: bool
    implementing_agency: str
    applicant_types: list[str]
    legacy_level: int
    cutoff: str | None
    supplement_mode: str
    steps: str
    conditions: str
    results: str
    legal_basis: str
    decision_number: str
    decision_date: dt.date | None
    channels: list[ChannelOut]
    papers: list[PaperOut]
    process: list[StepOut]


class SearchFilters(Schema):
    q: Annotated[Line, Field(max_length=200)] = ""
    field: Annotated[Line, Field(max_length=20)] = ""
    level: HandlingLevel | None = None
    online_level: OnlineLevel | None = None
    agency: Annotated[Line, Field(max_length=200)] = ""


def _summary(v: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": v.procedure.code,
        "version": v.number,
        "name": v.name,
        "field_code": v.field.code,
        "field_name": v.field.name,
        "levels": v.levels,
        "online_level": v.online_level,
    }


def _full(v: ProcedureVersion) -> dict[str, Any]:
    data = selectors.version_to_data(v).as_json()
    data.update(_summary(v))
    data["status"] = v.status
    return data


@router.get(
    "",
    response={200: list[ProcedureSummaryOut], **PUBLIC_ERRORS},
    auth=None,
    summary="Search the published catalogue",
)
@paginate(PageNumberPagination, page_size=20)
def procedures_search(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    return [
        _summary(v)
        for v in selectors.procedure_search(
            **{**filters.dict(), "level": filters.level or "", "online_level": filters.online_level or ""}
        )
    ]


@router.get(
    "/{code}",
    response={200: ProcedureOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="One procedure (the version in force, or ?version=N)",
)
def procedure_detail(request: HttpRequest, code: str, version: int | None = None) -> dict[str, Any]:
    return _full(selectors.procedure_public_get(code=code, number=version))


# Lengths, choices and ranges as in the models: bad input is a 422 here, not a database error.
PositiveInt = Annotated[int, Field(ge=1, le=2_147_483_647)]


class ChannelIn(Schema):
    channel: Channel
    time_amount: PositiveInt
    time_unit: TimeUnit
    fee_kind: FeeKind = FeeKind.NONE
    fee_amount: Amount = 0
    fee_collection: FeeCollection = FeeCollection.NONE
    fee_note: Annotated[Line, Field(max_length=255)] = ""


class PaperIn(Schema):
    order: Count
    name: Annotated[Line, Field(min_length=1, max_length=500)]
    originals: Count = 0
    certified_copies: Count = 0
    photocopies: Count = 0
    optional: bool = False


class StepIn(Schema):
    level: HandlingLevel
    order: Count
    name: Annotated[Line, Field(min_length=1, max_length=255)]
    role: StepRole
    unit_kind: StepUnitKind
    budget_amount: PositiveInt
    budget_unit: BudgetUnit
    handover_to: Annotated[Line, Field(max_length=255)] = ""


class ProcedureIn(Schema):
    code: Annotated[Line, Field(min_length=1, max_length=40)]
    name: Annotated[Line, Field(min_length=1, max_length=500)]
    field_code: Annotated[Line, Field(min_length=1, max_length=20)]
    field_name: Annotated[Line, Field(max_length=255)] = ""
    published_code: Annotated[Line, Field(max_length=80)] = ""
    levels: Annotated[list[HandlingLevel], Field(max_length=3)]
    implementing_agency: Annotated[Line, Field(max_length=500)] = ""
    applicant_types: Annotated[list[ApplicantType], Field(max_length=4)] = []
    online_level: OnlineLevel = OnlineLevel.NONE
    legacy_level: Annotated[int, Field(ge=1, le=4)] = 2
    cutoff: dt.time | None = None
    supplement_mode: SupplementMode = SupplementMode.PAUSE
    steps: Block = ""
    conditions: Block = ""
    results: Block = ""
    legal_basis: Block = ""
    is_example_code: bool = False
    channels: Annotated[list[ChannelIn], Field(max_length=3)]
    papers: Annotated[list[PaperIn], Field(max_length=200)] = []
    process: Annotated[list[StepIn], Field(max_length=200)] = []


class PublishIn(Schema):
    decision_number: Annotated[Line, Field(min_length=1, max_length=100)]
    decision_date: Day


def _require_officer(request: AuthedRequest) -> None:
    if not can_edit_catalogue(request.user):
        raise HttpError(403, _("Only catalogue officers may change the catalogue."))


def _refused(problems: list[Any]) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for p in problems:
        key = p.column if p.where == "procedure" else f"{p.where}.{p.column}"
        fields.setdefault(key, []).append(p.message)
    return error_body("invalid", _("The data is not valid."), fields)


@router.put(
    "/{code}/draft", response={200: ProcedureOut, **OBJECT_ERRORS}, summary="Create or update a draft"
)
def procedure_put_draft(request: AuthedRequest, code: str, payload: ProcedureIn) -> Any:
    _require_officer(request)
    if payload.code != code:
        return Status(
            422, error_body("invalid", _("The data is not valid."), {"code": [_("must match the URL")]})
        )
    body = payload.dict()
    data = ProcedureData(
        **{k: v for k, v in body.items() if k not in {"channels", "papers", "process"}},
        channels=[ChannelData(**c) for c in body["channels"]],
        papers=[PaperData(**p) for p in body["papers"]],
        process=[StepData(**s) for s in body["process"]],
    )
    try:
        draft = services.procedure_save_draft(data=data, by=request.user)
    except services.CatalogError as exc:
        return Status(422, _refused(exc.problems))
    return Status(200, _full(draft))


@router.post("/{code}/publish", response={200: ProcedureOut, **OBJECT_ERRORS}, summary="Publish the draft")
def procedure_post_publish(request: AuthedRequest, code: str, payload: PublishIn) -> Any:
    _require_officer(request)
    draft = ProcedureVersion.objects.filter(procedure__code=code, status="draft").first()
    if draft is None:
        return Status(404, error_body("not_found", _("Not found.")))
    try:
        version = services.procedure_publish(version=draft, by=request.user, **payload.dict())
    except services.CatalogError as exc:
        return Status(422, _refused(exc.problems))
    return Status(200, _full(version))
