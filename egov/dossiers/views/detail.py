"""The dossier page, its actions, its official forms as PDF and its files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import RoleAssignment, User
from egov.accounts.types import AuthedRequest
from egov.catalog.models import StepRole
from egov.core.uploads import attachment_response
from egov.dossiers import selectors, services
from egov.dossiers.events import EVENT_LABELS
from egov.dossiers.forms import (
    AssignForm,
    DecideForm,
    ExtendForm,
    ForwardForm,
    PauseForm,
    ReasonForm,
    RequestPapersForm,
    ResumeForm,
    ReturnForm,
    SendBackForm,
)
from egov.dossiers.models import Dossier
from egov.dossiers.pdf import FORM_TITLES, form_pdf, forms_available
from egov.dossiers.views.common import _add_validation_error, _staff_only
from egov.dossiers.workflow import Action, available_actions, require
from egov.orgs.models import Unit


class AcceptForm(dj_forms.Form):
    """Accepting an online submission needs no input: the button is the decision."""


# ---------------------------------------------------------------- the dossier page


def _action_forms(
    request: AuthedRequest, dossier: Dossier, bound: dict[str, Any] | None = None
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
        or (
            dossier.receiving_unit if following.role == StepRole.ONE_STOP_OFFICER else dossier.resolving_unit
        ).name
    )
    if following.handover_to:
        agencies = Unit.objects.filter(kind__in=["committee", "department"], valid_to__isnull=True)
        form.fields["to_unit"].choices = [(u.pk, u.name) for u in agencies.order_by("path")[:500]]
        form.fields["to_unit"].required = True
    else:
        form.fields.pop("to_unit", None)


def _assignees(step: Any) -> list[tuple[int, str]]:
    people = (
        RoleAssignment.objects.active()
        .filter(role=step.role, unit__path__startswith=step.unit.path)
        .select_related("user")
    )
    return sorted({(a.user_id, a.user.full_name) for a in people}, key=lambda x: x[1])


def dossier_detail(
    request: AuthedRequest, pk: int, bound: dict[str, Any] | None = None, error: str = ""
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


ActionFn = Callable[[AuthedRequest, Dossier, dict[str, Any]], str]


def _action(name: str, form_class: Any, **form_kwargs: Any) -> Callable[[ActionFn], ActionFn]:
    def register(fn: ActionFn) -> ActionFn:
        ACTIONS[name] = (form_class, form_kwargs, fn)
        return fn

    return register


@require_POST
def dossier_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
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
def _forward(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    to_unit = get_object_or_404(Unit, pk=data["to_unit"]) if data.get("to_unit") else None
    services.step_forward(dossier=dossier, by=request.user, note=data["note"], to_unit=to_unit)
    return _("Dossier %(code)s forwarded to the step “%(step)s”.") % {
        "code": dossier.code,
        "step": _step_name(dossier),
    }


@_action("send_back", SendBackForm)
def _send_back(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.step_send_back(
        dossier=dossier, to_order=data["to_order"], reason=data["reason"], by=request.user
    )
    return _("Dossier %(code)s sent back to the step “%(step)s”.") % {
        "code": dossier.code,
        "step": _step_name(dossier),
    }


@_action("assign", AssignForm)
def _assign(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    to = get_object_or_404(User, pk=data["to"])
    step = services.step_assign(dossier=dossier, to=to, by=request.user)
    return _("The step “%(step)s” of dossier %(code)s is assigned to %(name)s.") % {
        "step": step.name,
        "code": dossier.code,
        "name": to.full_name,
    }


@_action("pause", PauseForm)
def _pause(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_pause(dossier=dossier, by=request.user, **data)
    if data["kind"] == "supplement":
        return _("A supplement to dossier %(code)s was requested; the applicant is notified.") % {
            "code": dossier.code
        }
    return _("The clock of dossier %(code)s is paused.") % {"code": dossier.code}


@_action("request_papers", RequestPapersForm)
def _request_papers(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_request_papers(dossier=dossier, by=request.user, **data)
    return _("A supplement to dossier %(code)s was requested; the applicant is notified.") % {
        "code": dossier.code
    }


@_action("refuse", ReasonForm)
def _refuse(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_refuse_online(dossier=dossier, reason=data["reason"], by=request.user)
    return _("Dossier %(code)s was refused; the applicant is notified. Print form 03.") % {
        "code": dossier.code
    }


@_action("resume", ResumeForm)
def _resume(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
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
def _extend(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_extend(dossier=dossier, by=request.user, **data)
    return _("Dossier %(code)s extended to %(due)s; the applicant is notified.") % {
        "code": dossier.code,
        "due": _when(data["new_due_at"]),
    }


@_action("stop", ReasonForm)
def _stop(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_stop(dossier=dossier, reason=data["reason"], by=request.user)
    return _("Processing of dossier %(code)s stopped; print form 05.") % {"code": dossier.code}


@_action("withdraw", ReasonForm)
def _withdraw(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_withdraw(dossier=dossier, reason=data["reason"], by=request.user)
    return _("The withdrawal of dossier %(code)s is recorded.") % {"code": dossier.code}


@_action("decide", DecideForm)
def _decide(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
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
def _return(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    services.dossier_return(
        dossier=dossier, by=request.user, received_by=data["received_by"], tracking=data["tracking"]
    )
    return _("The result of dossier %(code)s is recorded as returned.") % {"code": dossier.code}


@_action("accept", AcceptForm)
def _accept(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    dossier = services.dossier_accept(dossier=dossier, by=request.user)
    return _("Dossier %(code)s accepted; due %(due)s.") % {
        "code": dossier.code,
        "due": _when(dossier.due_at),
    }


@_action("sign_result", AcceptForm)
def _sign_result(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    from egov.dossiers.services.signing import dossier_result_sign

    signed = dossier_result_sign(dossier=dossier, by=request.user)
    if not signed:
        return _("The result of dossier %(code)s is already signed.") % {"code": dossier.code}
    return _("You signed the result of dossier %(code)s; the clerk applies the agency's signature.") % {
        "code": dossier.code
    }


@_action("seal_result", AcceptForm)
def _seal_result(request: AuthedRequest, dossier: Dossier, data: dict[str, Any]) -> str:
    from egov.dossiers.services.signing import dossier_result_seal

    sealed = dossier_result_seal(dossier=dossier, by=request.user)
    if not sealed:
        return _("The result of dossier %(code)s already carries the agency's signature.") % {
            "code": dossier.code
        }
    return _("The agency's signature is applied: the result of dossier %(code)s is released.") % {
        "code": dossier.code
    }


def dossier_file(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """Open a stored file of the dossier (a scan the citizen uploaded, a supplement, a result)."""
    _staff_only(request)
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    record = get_object_or_404(dossier.files, pk=file_pk)
    # Always a download: a stored file is never rendered as a page of this site.
    return attachment_response(
        record.file.open("rb"),
        content_type=record.content_type,
        name=record.name,
        stored_name=record.file.name or "",
    )


def dossier_form_pdf(request: AuthedRequest, pk: int, form_no: str) -> FileResponse:
    """Download an official form of the dossier as PDF (rendered and stored on first request)."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    if form_no not in forms_available(dossier):
        raise Http404
    record = form_pdf(dossier=dossier, form_no=form_no, by=request.user)
    return attachment_response(
        record.file.open("rb"),
        content_type="application/pdf",
        name=record.name,
        stored_name=record.file.name or "",
    )
