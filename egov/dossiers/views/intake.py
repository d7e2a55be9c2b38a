"""Intake at the counter: pick the procedure, receive the dossier, or refuse it."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.types import AuthedRequest
from egov.catalog.models import ApplicantType, Channel, ProcedureVersion
from egov.catalog.selectors import procedure_search
from egov.dossiers import selectors, services
from egov.dossiers.forms import (
    IntakeForm,
    PaperFormSet,
    RefuseForm,
)
from egov.dossiers.models import Dossier
from egov.dossiers.permissions import (
    can_receive_at,
    receiving_units_for,
)
from egov.dossiers.views.common import _add_validation_error
from egov.orgs.models import Unit

# ---------------------------------------------------------------- intake


def _receiving_unit(request: AuthedRequest) -> Unit:
    units = receiving_units_for(request.user)
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit") or request.POST.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), units[0])
    if not can_receive_at(request.user, unit):
        raise PermissionDenied
    return unit


def intake_pick(request: AuthedRequest) -> HttpResponse:
    unit = _receiving_unit(request)
    q = request.GET.get("q", "")[:200]
    results = procedure_search(q=q, level=unit.level)[:30] if q else []
    return render(
        request,
        "dossiers/intake_pick.html",
        {"unit": unit, "units": receiving_units_for(request.user), "q": q, "results": results},
    )


def _version_for_intake(code: str, unit: Unit) -> ProcedureVersion:
    version = procedure_search(level=unit.level).filter(procedure__code=code).first()
    if version is None:
        raise Http404
    return version


def intake_form(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _receiving_unit(request)
    version = _version_for_intake(code, unit)
    required = list(version.papers.all())
    direct = version.channels.filter(channel=Channel.DIRECT).first()
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        papers = PaperFormSet(request.POST, prefix="p")
        token = request.POST.get("intake_token", "")
        existing = selectors.dossier_for_intake_token(token=token, unit=unit, user=request.user)
        if existing is not None:
            messages.info(request, _("This dossier was already saved."))
            return redirect(existing)
        if form.is_valid() and papers.is_valid():
            dossier = _receive(request, unit, version, form, papers)
            if dossier is not None:
                messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
                return redirect(dossier)
    else:
        form = IntakeForm(
            initial={"intake_token": uuid.uuid4().hex, "fees_collected": direct.fee_amount if direct else 0}
        )
        papers = PaperFormSet(
            prefix="p",
            initial=[
                {
                    "name": p.name,
                    "originals": p.originals,
                    "certified_copies": p.certified_copies,
                    "photocopies": p.photocopies,
                    "received": False,
                }
                for p in required
            ],
        )
    context = {
        "unit": unit,
        "version": version,
        "form": form,
        "papers": papers,
        "required": required,
        "direct": direct,
        # Prefixed: the refusal form sits on the same page as the intake form (unique ids).
        "refuse_form": RefuseForm(prefix="refuse"),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/intake_form.html", context, status=status)


def _receive(
    request: AuthedRequest, unit: Unit, version: ProcedureVersion, form: IntakeForm, papers: Any
) -> Dossier | None:
    """The service call for a valid intake form; None (the problem on the form) when it refuses."""
    ticked = [f.cleaned_data for f in papers.forms if f.cleaned_data.get("received")]
    data = form.cleaned_data
    try:
        return services.dossier_receive(
            unit=unit,
            version=version,
            channel=data["channel"],
            by=request.user,
            applicant=services.ApplicantIn(
                kind=data["applicant_kind"],
                name=data["applicant_name"],
                id_number=data["applicant_id_number"],
                address=data["applicant_address"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
            ),
            papers=[
                services.PaperIn(p["name"], p["originals"], p["certified_copies"], p["photocopies"])
                for p in ticked
            ],
            return_method=data["return_method"],
            return_address=data["return_address"],
            fees_collected=data["fees_collected"],
            summary=data["summary"],
            files=data["files"],
            intake_token=data["intake_token"],
        )
    except services.DossierError as exc:
        # A foreign token is shown above the form (its field is hidden); the form gets a
        # fresh one so that sending it again is a new reception.
        field = exc.field if exc.field in form.fields and exc.field != "intake_token" else None
        form.add_error(field, str(exc))
        if exc.field == "intake_token":
            fresh = cast(QueryDict, form.data).copy()  # the POST it was bound to
            fresh["intake_token"] = uuid.uuid4().hex
            form.data = fresh
    except ValidationError as exc:
        _add_validation_error(form, exc, "files")
    return None


@require_POST
def intake_refuse(request: AuthedRequest, code: str) -> HttpResponse:
    unit = _receiving_unit(request)
    version = _version_for_intake(code, unit)
    form = RefuseForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            dossier = services.dossier_refuse_intake(
                unit=unit,
                version=version,
                by=request.user,
                reason=form.cleaned_data["reason"],
                applicant=services.ApplicantIn(
                    kind=ApplicantType.CITIZEN,
                    name=form.cleaned_data["applicant_name"],
                    phone=form.cleaned_data["applicant_phone"],
                ),
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Refusal recorded; print form 03."))
            return redirect(dossier)
    return render(
        request, "dossiers/refuse.html", {"form": form, "version": version, "unit": unit}, status=422
    )
