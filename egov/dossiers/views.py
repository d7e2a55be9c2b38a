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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    RequestPapersForm,
    ResumeForm,
    ReturnForm,
    SendBackForm,
)
from egov.dossiers.models import Dossier
from egov.dossiers.pdf import FORM_TITLES, forms_available
from egov.dossiers.permissions import (
    can_receive_at,
    receiving_units_for,
)
from egov.dossiers.workflow import Action, available_actions, require
from egov.orgs.models import Unit

# Lazy: the tab labels are translated per request, in the language of whoever asks.
VIEWS = [
    ("inbox", gettext_lazy("My inbox")),
    ("open", gettext_lazy("In progress")),
    ("due_soon", gettext_lazy("Due within 3 days")),
    ("overdue", gettext_lazy("Overdue")),
    ("paused", gettext_lazy("Paused")),
    ("registered", gettext_lazy("Submitted online")),
    ("all", gettext_lazy("All")),
]


# Timeline kinds recorded by the citizen portal (until they join egov.dossiers.events).


class AcceptForm(dj_forms.Form):
    """Accepting an online submission needs no input: the button is the decision."""


def _staff_only(request: HttpRequest) -> None:
    # 404 as for a dossier one may not see: the back office does not exist for citizens.
    if not is_staff_user(request.user):
        raise Http404


def _add_validation_error(form: dj_forms.Form, exc: ValidationError, field: str | None) -> None:
    """Show a model's ValidationError on the form, field by field when it names fields the form
    has (a dict of errors cannot be attached to one field)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def dossier_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    view = request.GET.get("view", "inbox")
    if view not in dict(VIEWS):
        view = "inbox"
    q = request.GET.get("q", "")[:100]
    qs = selectors.dossier_list(request.user, view=view, q=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    counts = selectors.dossier_counts(request.user, [key for key, _label in VIEWS])
    context = {
        "page": page,
        "view": view,
        "views": VIEWS,
        "tabs": [(key, label, counts[key]) for key, label in VIEWS],
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
        existing = selectors.dossier_for_intake_token(token=token, unit=unit, user=request.user)
        if existing is not None:
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
                # A foreign token is shown above the form (its field is hidden); the form gets a
                # fresh one so that sending it again is a new reception.
                field = exc.field if exc.field in form.fields and exc.field != "intake_token" else None
                form.add_error(field, str(exc))
                if exc.field == "intake_token":
                    form.data = form.data.copy()
                    form.data["intake_token"] = uuid.uuid4().hex
            except ValidationError as exc:
                _add_validation_error(form, exc, "files")
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
        # Prefixed: the refusal form sits on the same page as the intake form (unique ids).
        "refuse_form": RefuseForm(prefix="refuse"),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/intake_form.html", context, status=status)


@require_POST
def intake_refuse(request: HttpRequest, code: str) -> HttpResponse:
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
    """One form per action the workflow table allows this user now; nothing else decides."""
    bound = bound or {}
    return {
        action: bound.get(action) or _action_form(dossier, action)
        for action in available_actions(request.user, dossier)
        if action in ACTIONS  # the citizen's supplement is not a back-office button
    }


def _action_form(dossier: Dossier, action: str, data: Any = None, files: Any = None) -> Any:
    """The action's form, with the choices this dossier offers (later units, earlier steps, people)."""
    form_class, form_kwargs, _fn = ACTIONS[action]
    step = dossier.current_step
    initial = {"step_seq": step.seq} if step is not None else {}
    # Each action's fields carry its name, so every id on the dossier page is unique.
    form = form_class(data, files, initial=initial, prefix=action, **form_kwargs)
    if step is not None and action == Action.FORWARD:
        _forward_choices(dossier, step, form)
    elif step is not None and action == Action.SEND_BACK:
        earlier = [t for t in _templates(dossier) if t.order < step.order]
        form.fields["to_order"].choices = [(t.order, f"{t.order}. {t.name}") for t in earlier]
    elif step is not None and action == Action.ASSIGN:
        form.fields["to"].choices = _assignees(step)
    return form


def _templates(dossier: Dossier) -> list[Any]:
    return list(dossier.procedure_version.process_steps.filter(level=dossier.level).order_by("order"))


def _forward_choices(dossier: Dossier, step: Any, form: Any) -> None:
    following = next(t for t in _templates(dossier) if t.order > step.order)
    form.next_step = following.name
    # A hand-over goes to the agency the officer picks below; the catalogue names which one.
    form.next_unit = (
        following.handover_to
        or (dossier.receiving_unit if following.role == "one_stop_officer" else dossier.resolving_unit).name
    )
    if following.handover_to:
        agencies = Unit.objects.filter(kind__in=["committee", "department"], valid_to__isnull=True)
        form.fields["to_unit"].choices = [(u.pk, u.name) for u in agencies.order_by("path")[:500]]
        form.fields["to_unit"].required = True
    else:
        form.fields.pop("to_unit", None)


def _assignees(step: Any) -> list[tuple[int, str]]:
    from egov.accounts.models import RoleAssignment

    people = (
        RoleAssignment.objects.active()
        .filter(role=step.role, unit__path__startswith=step.unit.path)
        .select_related("user")
    )
    return sorted({(a.user_id, a.user.full_name) for a in people}, key=lambda x: x[1])


def dossier_detail(
    request: HttpRequest, pk: int, bound: dict[str, Any] | None = None, error: str = ""
) -> HttpResponse:
    failed = next(iter((bound or {}).items()), None)
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
        # The action whose form came back with errors: summarised at the top, its section open.
        "failed_action": failed[0] if failed else "",
        "failed_form": failed[1] if failed else None,
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
    fn = ACTIONS[action][2]
    try:
        require(action, request.user, dossier)
    except services.DossierError as exc:
        step_seq = request.POST.get(f"{action}-step_seq")
        if step_seq and (dossier.current_step is None or str(dossier.current_step.seq) != step_seq):
            messages.info(request, _("This step was already handled; the page shows the current state."))
            return redirect(dossier)
        if isinstance(exc, services.ActionForbidden):
            raise PermissionDenied from exc
        return dossier_detail(request, pk, error=str(exc))
    form = _action_form(dossier, action, request.POST, request.FILES)
    if form.is_valid():
        step = dossier.current_step
        if "step_seq" in form.cleaned_data and (step is None or step.seq != form.cleaned_data["step_seq"]):
            messages.info(request, _("This step was already handled; the page shows the current state."))
            return redirect(dossier)
        try:
            done = fn(request, dossier, form.cleaned_data)
        except services.DossierError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        except ValidationError as exc:
            _add_validation_error(form, exc, None)
        else:
            messages.success(request, done)
            return redirect(dossier)
    return dossier_detail(request, pk, bound={action: form})


def _when(moment: Any) -> str:
    """A time as Vietnamese offices write it: dd/mm/yyyy HH:MM (local time)."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


def _step_name(dossier: Dossier) -> str:
    dossier.refresh_from_db(fields=["current_step"])
    return dossier.current_step.name if dossier.current_step is not None else "—"


# Every action returns the message that tells the officer what happened.


@_action("forward", ForwardForm)
def _forward(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    to_unit = get_object_or_404(Unit, pk=data["to_unit"]) if data.get("to_unit") else None
    services.step_forward(dossier=dossier, by=request.user, note=data["note"], to_unit=to_unit)
    return _("Dossier %(code)s forwarded to the step “%(step)s”.") % {
        "code": dossier.code,
        "step": _step_name(dossier),
    }


@_action("send_back", SendBackForm)
def _send_back(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.step_send_back(
        dossier=dossier, to_order=data["to_order"], reason=data["reason"], by=request.user
    )
    return _("Dossier %(code)s sent back to the step “%(step)s”.") % {
        "code": dossier.code,
        "step": _step_name(dossier),
    }


@_action("assign", AssignForm)
def _assign(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    from egov.accounts.models import User

    to = get_object_or_404(User, pk=data["to"])
    step = services.step_assign(dossier=dossier, to=to, by=request.user)
    return _("The step “%(step)s” of dossier %(code)s is assigned to %(name)s.") % {
        "step": step.name,
        "code": dossier.code,
        "name": to.full_name,
    }


@_action("pause", PauseForm)
def _pause(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_pause(dossier=dossier, by=request.user, **data)
    if data["kind"] == "supplement":
        return _("A supplement to dossier %(code)s was requested; the applicant is notified.") % {
            "code": dossier.code
        }
    return _("The clock of dossier %(code)s is paused.") % {"code": dossier.code}


@_action("request_papers", RequestPapersForm)
def _request_papers(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_request_papers(dossier=dossier, by=request.user, **data)
    return _("A supplement to dossier %(code)s was requested; the applicant is notified.") % {
        "code": dossier.code
    }


@_action("refuse", ReasonForm)
def _refuse(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_refuse_online(dossier=dossier, reason=data["reason"], by=request.user)
    return _("Dossier %(code)s was refused; the applicant is notified. Print form 03.") % {
        "code": dossier.code
    }


@_action("resume", ResumeForm)
def _resume(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    dossier = services.dossier_resume(dossier=dossier, by=request.user, note=data["note"])
    if dossier.due_at is None:
        return _("The supplement to dossier %(code)s is received; the dossier waits to be accepted.") % {
            "code": dossier.code
        }
    return _("Processing of dossier %(code)s resumed; due %(due)s.") % {
        "code": dossier.code,
        "due": _when(dossier.due_at),
    }


@_action("extend", ExtendForm)
def _extend(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_extend(dossier=dossier, by=request.user, **data)
    return _("Dossier %(code)s extended to %(due)s; the applicant is notified.") % {
        "code": dossier.code,
        "due": _when(data["new_due_at"]),
    }


@_action("stop", ReasonForm)
def _stop(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_stop(dossier=dossier, reason=data["reason"], by=request.user)
    return _("Processing of dossier %(code)s stopped; print form 05.") % {"code": dossier.code}


@_action("withdraw", ReasonForm)
def _withdraw(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_withdraw(dossier=dossier, reason=data["reason"], by=request.user)
    return _("The withdrawal of dossier %(code)s is recorded.") % {"code": dossier.code}


@_action("decide", DecideForm)
def _decide(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    dossier = services.dossier_decide(
        dossier=dossier,
        outcome=data["outcome"],
        reason=data["reason"],
        by=request.user,
        result_file=data.get("result_file"),
    )
    return _("The decision on dossier %(code)s is recorded: %(outcome)s.") % {
        "code": dossier.code,
        "outcome": dossier.get_outcome_display(),
    }


@_action("return", ReturnForm)
def _return(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_return(
        dossier=dossier, by=request.user, received_by=data["received_by"], tracking=data["tracking"]
    )
    return _("The result of dossier %(code)s is recorded as returned.") % {"code": dossier.code}


@_action("accept", AcceptForm)
def _accept(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    dossier = services.dossier_accept(dossier=dossier, by=request.user)
    return _("Dossier %(code)s accepted; due %(due)s.") % {
        "code": dossier.code,
        "due": _when(dossier.due_at),
    }


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
    from egov.dossiers.forms import DATE_INPUT_FORMATS, DatePickerInput

    class PeriodForm(StyledFormMixin, dj_forms.Form):
        start = dj_forms.DateField(
            label=_("From"), widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
        )
        end = dj_forms.DateField(label=_("To"), widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS)

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
