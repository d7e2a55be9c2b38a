"""Dossier API for counters' own tools and the portal: the same services as the pages."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import Actor, AuthedRequest
from egov.catalog.models import ApplicantType, Channel, ProcedureVersion
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.idnumbers import ID_NUMBER_CHECK
from egov.core.schema import Amount, Block, Count, Email, Line, Moment
from egov.dossiers import selectors, services
from egov.dossiers.models import Dossier, NationalStatus, Outcome, PauseKind, ReturnMethod
from egov.dossiers.permissions import can_receive_at
from egov.dossiers.workflow import API_ACTIONS, Action, require
from egov.orgs.models import Unit

router = Router(tags=["dossiers"])


class DossierOut(Schema):
    id: int
    code: str
    procedure_code: str
    procedure_name: str
    state: str
    national_status: int | None
    channel: str
    applicant_name: str
    receiving_unit_id: int
    resolving_unit_id: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    statutory_due_at: dt.datetime | None
    current_step: str | None
    timeliness: str
    outcome: str


class ListFilters(Schema):
    view: Literal["all", "inbox", "open", "due_soon", "overdue", "paused", "registered"] = "all"
    q: Annotated[Line, Field(max_length=255)] = ""


def _out(d: Dossier, national: dict[str, int] | None = None) -> dict[str, Any]:
    national = national if national is not None else {}
    return {
        "id": d.pk,
        "code": d.code,
        "procedure_code": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.name,
        "state": d.state,
        "national_status": national.get(d.state),
        "channel": d.channel,
        "applicant_name": d.applicant_name,
        "receiving_unit_id": d.receiving_unit_id,
        "resolving_unit_id": d.resolving_unit_id,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "statutory_due_at": d.statutory_due_at,
        "current_step": d.current_step.name if d.current_step else None,
        "timeliness": d.timeliness,
        "outcome": d.outcome,
    }


def _national() -> dict[str, int]:

    return dict(NationalStatus.objects.values_list("state", "code"))


@router.get(
    "",
    response={200: list[DossierOut], **SIGNED_IN_ERRORS},
    summary="Dossiers the caller may see (views: inbox, open, overdue, …)",
)
@paginate(PageNumberPagination, page_size=50)
def dossiers_list(request: AuthedRequest, filters: Query[ListFilters]) -> Any:
    if not is_staff_user(request.user):
        raise HttpError(404, _("Not found."))  # the staff API does not exist for citizens
    national = _national()
    qs = selectors.dossier_list(request.user, view=filters.view, q=filters.q).select_related(
        "procedure_version__procedure"
    )
    return [_out(d, national) for d in qs]


@router.get("/{int:dossier_id}", response={200: DossierOut, **OBJECT_ERRORS}, summary="One dossier")
def dossier_detail(request: AuthedRequest, dossier_id: int) -> dict[str, Any]:
    return _out(selectors.dossier_get_for_user(user=request.user, pk=dossier_id), _national())


# Lengths, choices and ranges as in the models: bad input is a 422 here, not a database error.
class PaperIn(Schema):
    name: Annotated[Line, Field(min_length=1, max_length=500)]
    originals: Count = 0
    certified_copies: Count = 0
    photocopies: Count = 0


class ReceiveIn(Schema):
    unit_id: int
    procedure_code: Annotated[Line, Field(max_length=40)]
    channel: Channel = Channel.DIRECT
    applicant_kind: ApplicantType = ApplicantType.CITIZEN
    applicant_name: Annotated[Line, Field(min_length=1, max_length=255)]
    applicant_id_number: Annotated[Line, Field(max_length=30), ID_NUMBER_CHECK] = ""
    applicant_address: Annotated[Line, Field(max_length=500)] = ""
    applicant_phone: Annotated[Line, Field(max_length=20)] = ""
    applicant_email: Email = ""
    papers: Annotated[list[PaperIn], Field(max_length=200)]
    return_method: ReturnMethod = ReturnMethod.COUNTER
    return_address: Annotated[Line, Field(max_length=500)] = ""
    fees_collected: Amount = 0
    intake_token: Annotated[Line, Field(max_length=40)] | None = None


def _refused(exc: services.DossierError) -> Status[dict[str, Any]]:
    field = exc.field or "__all__"
    return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))


@router.post(
    "",
    response={201: DossierOut, 200: DossierOut, **OBJECT_ERRORS},
    summary="Receive a dossier at a counter",
)
def dossier_receive(request: AuthedRequest, payload: ReceiveIn) -> Any:
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    if not can_receive_at(request.user, unit):
        raise HttpError(403, _("You do not receive dossiers at this counter."))
    existing = selectors.dossier_for_intake_token(
        token=payload.intake_token or "", unit=unit, user=request.user
    )
    if existing is not None:
        return Status(200, _out(existing, _national()))
    version = ProcedureVersion.objects.filter(
        procedure__code=payload.procedure_code, status="published"
    ).first()
    if version is None:
        return Status(
            422,
            error_body(
                "invalid",
                _("This procedure is not in force."),
                {"procedure_code": [_("No published procedure has this code.")]},
            ),
        )
    try:
        dossier = services.dossier_receive(
            unit=unit,
            version=version,
            channel=payload.channel,
            by=request.user,
            applicant=services.ApplicantIn(
                kind=payload.applicant_kind,
                name=payload.applicant_name,
                id_number=payload.applicant_id_number,
                address=payload.applicant_address,
                phone=payload.applicant_phone,
                email=payload.applicant_email,
            ),
            papers=[services.PaperIn(**p.dict()) for p in payload.papers],
            return_method=payload.return_method,
            return_address=payload.return_address,
            fees_collected=payload.fees_collected,
            intake_token=payload.intake_token,
        )
    except services.DossierError as exc:
        return _refused(exc)
    return Status(201, _out(dossier, _national()))


class ActionIn(Schema):
    note: Annotated[Block, Field(max_length=5000)] = ""
    reason: Annotated[Block, Field(max_length=5000)] = ""
    items: Annotated[Block, Field(max_length=5000)] = ""
    kind: PauseKind = PauseKind.SUPPLEMENT
    outcome: Outcome = Outcome.APPROVED
    new_due_at: Moment | None = None
    received_by: Annotated[Line, Field(max_length=255)] = ""
    tracking: Annotated[Line, Field(max_length=60)] = ""
    to_unit_id: int | None = None
    to_order: Count | None = None


@router.post(
    "/{int:dossier_id}/{action}", response={200: DossierOut, **OBJECT_ERRORS}, summary="Act on a dossier"
)
def dossier_act(request: AuthedRequest, dossier_id: int, action: str, payload: ActionIn) -> Any:
    """404 for a dossier the caller may not see, 422 for an action the dossier's state does not
    allow, 403 for an action the caller may not take (egov.dossiers.workflow decides)."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=dossier_id)
    if action not in API_ACTIONS:
        raise HttpError(404, _("Not found."))
    try:
        require(action, request.user, dossier)
        _run(Action(action), dossier, request.user, payload)
    except services.ActionForbidden as exc:
        raise HttpError(403, str(exc)) from exc
    except services.DossierError as exc:
        return _refused(exc)
    dossier.refresh_from_db()
    return Status(200, _out(dossier, _national()))


def _run(action: Action, dossier: Dossier, user: Actor, payload: ActionIn) -> None:
    if action == Action.ACCEPT:
        services.dossier_accept(dossier=dossier, by=user)
    elif action == Action.REQUEST_PAPERS:
        services.dossier_request_papers(dossier=dossier, items=payload.items, reason=payload.reason, by=user)
    elif action == Action.REFUSE:
        services.dossier_refuse_online(dossier=dossier, reason=payload.reason, by=user)
    elif action == Action.FORWARD:
        to_unit = get_object_or_404(Unit, pk=payload.to_unit_id) if payload.to_unit_id else None
        services.step_forward(dossier=dossier, by=user, note=payload.note, to_unit=to_unit)
    elif action == Action.SEND_BACK:
        services.step_send_back(
            dossier=dossier, to_order=payload.to_order or 0, reason=payload.reason, by=user
        )
    elif action == Action.DECIDE:
        services.dossier_decide(dossier=dossier, outcome=payload.outcome, reason=payload.reason, by=user)
    elif action == Action.PAUSE:
        services.dossier_pause(
            dossier=dossier, kind=payload.kind, reason=payload.reason, items=payload.items, by=user
        )
    elif action == Action.RESUME:
        services.dossier_resume(dossier=dossier, by=user, note=payload.note)
    elif action == Action.EXTEND:
        new_due_at = payload.new_due_at or dt.datetime.min.replace(tzinfo=dt.UTC)
        services.dossier_extend(dossier=dossier, new_due_at=new_due_at, reason=payload.reason, by=user)
    elif action == Action.STOP:
        services.dossier_stop(dossier=dossier, reason=payload.reason, by=user)
    elif action == Action.WITHDRAW:
        services.dossier_withdraw(dossier=dossier, reason=payload.reason, by=user)
    elif action == Action.SIGN_RESULT:
        from egov.dossiers.services.signing import dossier_result_sign

        dossier_result_sign(dossier=dossier, by=user)
    elif action == Action.SEAL_RESULT:
        from egov.dossiers.services.signing import dossier_result_seal

        dossier_result_seal(dossier=dossier, by=user)
    elif action == Action.RETURN:
        services.dossier_return(
            dossier=dossier, by=user, received_by=payload.received_by, tracking=payload.tracking
        )
