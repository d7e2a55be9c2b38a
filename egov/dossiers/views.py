"""One-stop back office pages: intake, lists, the dossier page and its actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.permissions import is_staff_user
from egov.catalog.models import ProcedureVersion
from egov.catalog.selectors import procedure_search
from egov.dossiers import selectors, services
from egov.dossiers.events import EVENT_LABELS
from egov.dossiers.forms import (
    AssignForm,
    DecideForm,
    ExtendForm,
    ForwardForm,
    IntakeForm,
    PaperFormSet,
    PauseForm,
    ReasonForm,
    RefuseForm,
    ResumeForm,
    ReturnForm,
    SendBackForm,
)
from egov.dossiers.models import Dossier, DossierState, StepStatus
from egov.dossiers.pdf import FORM_TITLES, forms_available
from egov.dossiers.permissions import (
    can_act_on_step,
    can_assign,
    can_manage_dossier,
    can_receive_at,
    receiving_units_for,
)
from egov.orgs.models import Unit

VIEWS = [
    ("inbox", _("My inbox")),
    ("open", _("In progress")),
    ("due_soon", _("Due within 3 days")),
    ("overdue", _("Overdue")),
    ("paused", _("Paused")),
    ("registered", _("Submitted online")),
    ("all", _("All")),
]


# Timeline kinds recorded by the citizen portal (until they join egov.dossiers.events).


class AcceptForm(dj_forms.Form):
    """Accepting an online submission needs no input: the button is the decision."""


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_user(request.user):
        raise PermissionDenied


def dossier_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    view = request.GET.get("view", "inbox")
    if view not in dict(VIEWS):
        view = "inbox"
    q = request.GET.get("q", "")[:100]
    qs = selectors.dossier_list(request.user, view=view, q=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "view": view,
        "views": VIEWS,
        "q": q,
        "can_receive": bool(receiving_units_for(request.user)),
    }
    return render(request, "dossiers/list.html", context)


# ---------------------------------------------------------------- intake


def _receiving_unit(request: HttpRequest) -> Unit:
    units = receiving_units_for(request.user)
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit") or request.POST.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), units[0])
    if not can_receive_at(request.user, unit):
        raise PermissionDenied
    return unit


def intake_pick(request: HttpRequest) -> HttpResponse:
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


def intake_form(request: HttpRequest, code: str) -> HttpResponse:
    unit = _receiving_unit(request)
    version = _version_for_intake(code, unit)
    required = list(version.papers.all())
    direct = version.channels.filter(channel="direct").first()
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        papers = PaperFormSet(request.POST, prefix="p")
        token = request.POST.get("intake_token", "")
        existing = Dossier.objects.filter(intake_token=token).first() if token else None
        if (
            existing is not None
            and selectors.dossiers_visible_to(request.user).filter(pk=existing.pk).exists()
        ):
            messages.info(request, _("This dossier was already saved."))
            return redirect(existing)
        if form.is_valid() and papers.is_valid():
            ticked = [f.cleaned_data for f in papers.forms if f.cleaned_data.get("received")]
            data = form.cleaned_data
            try:
                dossier = services.dossier_receive(
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
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            except ValidationError as exc:
                form.add_error("files", exc)
            else:
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
        "refuse_form": RefuseForm(),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/intake_form.html", context, status=status)


@require_POST
def intake_refuse(request: HttpRequest, code: str) -> HttpResponse:
    unit = _receiving_unit(request)
    version = _version_for_intake(code, unit)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            dossier = services.dossier_refuse_intake(
                unit=unit,
                version=version,
                by=request.user,
                reason=form.cleaned_data["reason"],
                applicant=services.ApplicantIn(
                    kind="citizen",
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


# ---------------------------------------------------------------- the dossier page


def _action_forms(
    request: HttpRequest, dossier: Dossier, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    user = request.user
    step = dossier.current_step
    forms: dict[str, Any] = {}
    bound = bound or {}
    active = step is not None and step.status == StepStatus.ACTIVE
    if dossier.state == DossierState.PROCESSING and active and can_act_on_step(user, step):
        seq = {"step_seq": step.seq}
        templates = list(
            dossier.procedure_version.process_steps.filter(level=dossier.level).order_by("order")
        )
        later = [t for t in templates if t.order > step.order]
        earlier = [t for t in templates if t.order < step.order]
        # The last step hands the result back at the counter; the steps before it do the work.
        work_left = [t for t in later if not (t is templates[-1] and t.role == "one_stop_officer")]
        if work_left:
            forward = bound.get("forward") or ForwardForm(initial=seq)
            if work_left[0].handover_to:
                agencies = Unit.objects.filter(kind__in=["committee", "department"], valid_to__isnull=True)
                forward.fields["to_unit"].choices = [(u.pk, u.name) for u in agencies.order_by("path")[:500]]
                forward.fields["to_unit"].required = True
                forward.handover_hint = work_left[0].handover_to
            else:
                del forward.fields["to_unit"]
            forms["forward"] = forward
        if earlier:
            back = bound.get("send_back") or SendBackForm(initial=seq)
            back.fields["to_order"].choices = [(t.order, f"{t.order}. {t.name}") for t in earlier]
            forms["send_back"] = back
        if step.role == "agency_leader" or not work_left:
            forms["decide"] = bound.get("decide") or DecideForm(initial=seq)
    if active and can_assign(user, step) and dossier.state in {DossierState.PROCESSING}:
        from egov.accounts.models import RoleAssignment

        people = (
            RoleAssignment.objects.active()
            .filter(role=step.role, unit__path__startswith=step.unit.path)
            .select_related("user")
        )
        assign = bound.get("assign") or AssignForm(initial={"step_seq": step.seq})
        assign.fields["to"].choices = sorted(
            {(a.user_id, a.user.full_name) for a in people}, key=lambda x: x[1]
        )
        if assign.fields["to"].choices:
            forms["assign"] = assign
    if dossier.state == DossierState.REGISTERED and can_receive_at(user, dossier.receiving_unit):
        forms["accept"] = bound.get("accept") or AcceptForm()
    if can_manage_dossier(user, dossier):
        if dossier.state == DossierState.PROCESSING:
            forms["pause"] = bound.get("pause") or PauseForm()
        if dossier.is_paused:
            forms["resume"] = bound.get("resume") or ResumeForm()
        if dossier.is_open:
            forms["extend"] = bound.get("extend") or ExtendForm()
            forms["stop"] = bound.get("stop") or ReasonForm(prefix="stop")
            forms["withdraw"] = bound.get("withdraw") or ReasonForm(prefix="withdraw")
        if dossier.state == DossierState.RESOLVED:
            forms["return"] = bound.get("return") or ReturnForm()
    return forms


def dossier_detail(
    request: HttpRequest, pk: int, bound: dict[str, Any] | None = None, error: str = ""
) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    events = [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in dossier.events.select_related("actor")]
    context = {
        "d": dossier,
        "events": events,
        "steps": dossier.steps.select_related("unit", "assigned_to", "finished_by"),
        "papers": dossier.papers.all(),
        "files": dossier.files.all(),
        "pauses": dossier.pauses.all(),
        "extensions": dossier.extensions.all(),
        "national": selectors.national_status(dossier),
        "remaining": selectors.remaining_office_time(dossier),
        "forms": _action_forms(request, dossier, bound),
        "error": error,
        "pdf_forms": [(no, FORM_TITLES[no]) for no in forms_available(dossier)],
    }
    return render(request, "dossiers/detail.html", context, status=422 if (bound or error) else 200)


ACTIONS: dict[str, Any] = {}


def _action(name: str, form_class: Any, **form_kwargs: Any) -> Any:
    def register(fn: Any) -> Any:
        ACTIONS[name] = (form_class, form_kwargs, fn)
        return fn

    return register


@require_POST
def dossier_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every button on the dossier page posts here; the form is checked, then one service runs."""
    if action not in ACTIONS:
        raise Http404
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    form_class, form_kwargs, fn = ACTIONS[action]
    available = _action_forms(request, dossier)
    if action not in available:
        if (
            "step_seq" in request.POST
            and dossier.current_step
            and str(dossier.current_step.seq) != request.POST["step_seq"]
        ):
            messages.info(request, _("This step was already handled; the page shows the current state."))
            return redirect(dossier)
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, **form_kwargs)
    form.fields.update({k: v for k, v in available[action].fields.items() if k in form.fields})
    if form.is_valid():
        step = dossier.current_step
        if "step_seq" in form.cleaned_data and (step is None or step.seq != form.cleaned_data["step_seq"]):
            messages.info(request, _("This step was already handled; the page shows the current state."))
            return redirect(dossier)
        try:
            fn(request, dossier, form.cleaned_data)
        except services.DossierError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(dossier)
    return dossier_detail(request, pk, bound={action: form})


@_action("forward", ForwardForm)
def _forward(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    to_unit = get_object_or_404(Unit, pk=data["to_unit"]) if data.get("to_unit") else None
    services.step_forward(dossier=dossier, by=request.user, note=data["note"], to_unit=to_unit)


@_action("send_back", SendBackForm)
def _send_back(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.step_send_back(
        dossier=dossier, to_order=data["to_order"], reason=data["reason"], by=request.user
    )


@_action("assign", AssignForm)
def _assign(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    from egov.accounts.models import User

    services.step_assign(dossier=dossier, to=get_object_or_404(User, pk=data["to"]), by=request.user)


@_action("pause", PauseForm)
def _pause(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_pause(dossier=dossier, by=request.user, **data)


@_action("resume", ResumeForm)
def _resume(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_resume(dossier=dossier, by=request.user, note=data["note"])


@_action("extend", ExtendForm)
def _extend(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_extend(dossier=dossier, by=request.user, **data)


@_action("stop", ReasonForm, prefix="stop")
def _stop(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_stop(dossier=dossier, reason=data["reason"], by=request.user)


@_action("withdraw", ReasonForm, prefix="withdraw")
def _withdraw(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_withdraw(dossier=dossier, reason=data["reason"], by=request.user)


@_action("decide", DecideForm)
def _decide(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_decide(
        dossier=dossier,
        outcome=data["outcome"],
        reason=data["reason"],
        by=request.user,
        result_file=data.get("result_file"),
    )


@_action("return", ReturnForm)
def _return(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_return(
        dossier=dossier, by=request.user, received_by=data["received_by"], tracking=data["tracking"]
    )


@_action("accept", AcceptForm)
def _accept(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    services.dossier_accept(dossier=dossier, by=request.user)


def dossier_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Open a stored file of the dossier (a scan the citizen uploaded, a supplement, a result)."""
    from egov.core.uploads import attachment_response

    _staff_only(request)
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    record = get_object_or_404(dossier.files, pk=file_pk)
    # Always a download: a stored file is never rendered as a page of this site.
    return attachment_response(
        record.file.open("rb"),
        content_type=record.content_type,
        name=record.name,
        stored_name=record.file.name,
    )


def dossier_form_pdf(request: HttpRequest, pk: int, form_no: str) -> HttpResponse:
    """Download an official form of the dossier as PDF (rendered and stored on first request)."""
    from egov.core.uploads import attachment_response
    from egov.dossiers.pdf import form_pdf, forms_available

    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    if form_no not in forms_available(dossier):
        raise Http404
    record = form_pdf(dossier=dossier, form_no=form_no, by=request.user)
    return attachment_response(
        record.file.open("rb"), content_type="application/pdf", name=record.name, stored_name=record.file.name
    )


def dossier_register(request: HttpRequest) -> HttpResponse:
    """The register of a counter for a period (form 07), on screen or as PDF."""
    import datetime as dt

    from django import forms as dj_forms
    from django.utils import timezone

    from egov.core.forms import StyledFormMixin

    class PeriodForm(StyledFormMixin, dj_forms.Form):
        start = dj_forms.DateField(label=_("From (dd/mm/yyyy)"))
        end = dj_forms.DateField(label=_("To (dd/mm/yyyy)"))

    units = receiving_units_for(request.user)
    if not units:
        raise PermissionDenied
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    today = timezone.localdate()
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": today.replace(day=1), "end": today}
    )
    rows = None
    start, end = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start or (end - start) > dt.timedelta(days=366):
            form.add_error("end", _("Choose a period of at most one year, ending after it starts."))
        else:
            rows = list(selectors.register_rows(unit=unit, start=start, end=end)[:5000])
    if rows is not None and request.GET.get("format") == "pdf":
        from django.template.loader import render_to_string
        from django.utils import translation

        from egov.dossiers.pdf import html_to_pdf

        with translation.override("vi"):
            html = render_to_string(
                "dossiers/forms/form_07.html",
                {
                    "d": type(
                        "Header",
                        (),
                        {
                            "code": f"{unit.name} {start:%d/%m/%Y}–{end:%d/%m/%Y}",
                            "lookup_secret": "",
                            "receiving_unit": unit,
                        },
                    )(),
                    "committee": unit.parent or unit,
                    "title": _("Dossier register"),
                    "form_no": "07",
                    "now": timezone.localtime(),
                    "rows": rows,
                    "unit": unit,
                    "start": start,
                    "end": end,
                    "template_version": "2025.1",
                },
            )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
        )
        return response
    context = {"units": units, "unit": unit, "form": form, "rows": rows, "start": start, "end": end}
    return render(request, "dossiers/register.html", context, status=422 if form.errors else 200)
