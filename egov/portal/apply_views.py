"""Applying online: the four steps of a draft and its submission. htmx only saves a step in the
background while the citizen types; every step is a plain form post that works without it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.types import AuthedRequest
from egov.catalog.models import VersionStatus
from egov.catalog.selectors import procedure_public_get
from egov.dossiers.models import Dossier
from egov.dossiers.services import ApplicantIn, DossierError
from egov.portal import selectors, services
from egov.portal.forms import ApplicantStepForm, DeliveryStepForm, ReviewForm
from egov.portal.http import citizen_only as _citizen
from egov.portal.http import posted
from egov.portal.identity.identifiers import phone_display
from egov.portal.models import PortalDraft

STEPS = [
    ("applicant", gettext_lazy("Applicant")),
    ("papers", gettext_lazy("Papers")),
    ("delivery", gettext_lazy("Office and result")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]


# ---------------------------------------------------------------- applying online


@login_not_required
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """From a procedure's page: resume the citizen's draft for it, or start one."""
    version = procedure_public_get(code=code)
    if version.status != VersionStatus.PUBLISHED or version.online_level == "none":
        raise Http404
    if not request.user.is_authenticated:
        return render(request, "portal/apply_signin.html", {"v": version, "next": request.path})
    user = _citizen(request)
    draft = services.draft_start(user=user, version=version)
    return redirect("portal:draft_step", pk=draft.pk, step="applicant")


def _step_context(draft: PortalDraft, step: str, **extra: Any) -> dict[str, Any]:
    index = STEP_NAMES.index(step)
    return {
        "draft": draft,
        "v": draft.version,
        "steps": STEPS,
        "step": step,
        "step_number": index + 1,
        "previous": STEP_NAMES[index - 1] if index else None,
        **extra,
    }


def _unit_choices(draft: PortalDraft) -> list[tuple[str, list[tuple[int, str]]]]:
    """The offices grouped under their district or province: two communes may share a name."""
    units = list(selectors.receiving_units_for(draft.version))
    names = Counter(u.name for u in units)
    return [
        # A closed picker shows only the option: a shared name carries its district too.
        (label, [(u.pk, f"{u.name} ({label})" if names[u.name] > 1 and label else u.name) for u in group])
        for label, group in selectors.receiving_unit_groups(units)
    ]


def _unit_label(draft: PortalDraft, pk: Any) -> str:
    unit = next((u for u in selectors.receiving_units_for(draft.version) if u.pk == pk), None)
    if unit is None:
        return ""
    group = selectors.unit_group_label(unit)
    return f"{unit.name} ({group})" if group else unit.name


def _raw(request: HttpRequest, form: Any) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in form.fields}


def _after_post(request: HttpRequest, draft: PortalDraft, step: str) -> HttpResponse | None:
    """Where the Back / Save buttons go (they never validate)."""
    go = request.POST.get("go", "next")
    index = STEP_NAMES.index(step)
    if go == "back" and index:
        return redirect("portal:draft_step", pk=draft.pk, step=STEP_NAMES[index - 1])
    if go == "save":
        messages.success(request, _("Draft saved. You can come back to it from any device for 30 days."))
        return redirect("portal:draft_step", pk=draft.pk, step=step)
    return None


def draft_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    user = _citizen(request)
    if step not in STEP_NAMES:
        raise Http404
    draft = selectors.draft_get_for_user(user=user, pk=pk)
    if draft.dossier_id is not None:
        messages.info(request, _("This application was already submitted."))
        return redirect("portal:dossier", pk=draft.dossier_id)
    if draft.is_expired:
        return render(request, "portal/draft_expired.html", {"draft": draft, "v": draft.version}, status=410)
    handler = {"applicant": _applicant_step, "papers": _papers_step, "delivery": _delivery_step}.get(step)
    if handler is not None:
        return handler(request, draft)
    return _review_step(request, draft)


def _form_step(
    request: HttpRequest, draft: PortalDraft, step: str, form_class: Any, **kwargs: Any
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        draft = services.draft_save_step(draft=draft, step=step, values=_raw(request, form))
        done = _after_post(request, draft, step)
        if done is not None:
            return done
        if form.is_valid():
            return redirect("portal:draft_step", pk=draft.pk, step=STEP_NAMES[STEP_NAMES.index(step) + 1])
        status = 422
    else:
        form = form_class(initial=draft.data.get(step, {}), **kwargs)
        status = 200
    return render(request, f"portal/draft_{step}.html", _step_context(draft, step, form=form), status=status)


def _applicant_step(request: HttpRequest, draft: PortalDraft) -> HttpResponse:
    return _form_step(request, draft, "applicant", ApplicantStepForm)


def _delivery_step(request: HttpRequest, draft: PortalDraft) -> HttpResponse:
    units = list(selectors.receiving_units_for(draft.version))
    if not draft.data.get("delivery", {}).get("unit"):
        # One office, or the one of the commune named in the applicant's address.
        chosen = units[0] if len(units) == 1 else None
        chosen = chosen or selectors.unit_for_address(
            units, draft.data.get("applicant", {}).get("address", "")
        )
        if chosen is not None:
            draft.data.setdefault("delivery", {})["unit"] = str(chosen.pk)
    return _form_step(request, draft, "delivery", DeliveryStepForm, units=_unit_choices(draft))


def _papers(draft: PortalDraft) -> list[dict[str, Any]]:
    files = list(draft.files.all())
    return [
        {"paper": p, "files": [f for f in files if f.paper_id == p.pk]} for p in draft.version.papers.all()
    ]


def _papers_step(request: HttpRequest, draft: PortalDraft) -> HttpResponse:
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        for paper in draft.version.papers.all():
            for upload in request.FILES.getlist(f"paper-{paper.pk}"):
                try:
                    services.draft_add_file(draft=draft, paper=paper, upload=upload)
                except ValidationError as exc:
                    errors.setdefault(paper.pk, []).append(f"{upload.name}: {' '.join(exc.messages)}")
                except services.PortalError as exc:
                    errors.setdefault(paper.pk, []).append(f"{upload.name}: {exc}")
        removed = request.POST.get("remove", "")
        if removed.isdigit():
            services.draft_remove_file(draft=draft, file_id=int(removed))
            messages.info(request, _("File removed."))
            return redirect("portal:draft_step", pk=draft.pk, step="papers")
        if not errors:
            done = _after_post(request, draft, "papers")
            if done is not None:
                return done
            missing = [
                row["paper"] for row in _papers(draft) if not row["files"] and not row["paper"].optional
            ]
            for paper in missing:
                errors[paper.pk] = [_("Attach a scan or photo of this paper.")]
            if not missing:
                return redirect("portal:draft_step", pk=draft.pk, step="delivery")
    rows = [{**row, "errors": errors.get(row["paper"].pk, [])} for row in _papers(draft)]
    context = _step_context(draft, "papers", rows=rows, has_errors=bool(errors))
    return render(request, "portal/draft_papers.html", context, status=422 if errors else 200)


def _review_step(request: AuthedRequest, draft: PortalDraft) -> HttpResponse:
    applicant = ApplicantStepForm(data=draft.data.get("applicant", {}))
    units = _unit_choices(draft)
    delivery = DeliveryStepForm(data=draft.data.get("delivery", {}), units=units)
    rows = _papers(draft)
    problems = []
    if not applicant.is_valid():
        problems.append(("applicant", _("The applicant details are incomplete or wrong.")))
    if any(not row["files"] and not row["paper"].optional for row in rows):
        problems.append(("papers", _("Some required papers are not attached.")))
    if not delivery.is_valid():
        problems.append(("delivery", _("Choose the office and how you receive the result.")))
    form = ReviewForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if not problems and form.is_valid():
            dossier = _submit(request, draft, applicant.cleaned_data, delivery.cleaned_data, form)
            if dossier is not None:
                messages.success(
                    request,
                    _(
                        "Your dossier is submitted. Its code is %(code)s; keep it with the look-up code %(secret)s."
                    )
                    % {"code": dossier.code, "secret": dossier.lookup_secret},
                )
                return redirect("portal:dossier", pk=dossier.pk)
    unit_name = _unit_label(draft, delivery.cleaned_data.get("unit")) if delivery.is_valid() else ""
    context = _step_context(
        draft,
        "review",
        form=form,
        applicant=applicant,
        delivery=delivery,
        unit_name=unit_name,
        contact_phone=phone_display(applicant.cleaned_data.get("phone", "")) if applicant.is_valid() else "",
        rows=rows,
        problems=problems,
    )
    return render(request, "portal/draft_review.html", context, status=status)


def _submit(
    request: AuthedRequest, draft: PortalDraft, a: dict[str, Any], d: dict[str, Any], form: ReviewForm
) -> Dossier | None:
    """Submit the checked draft; None (the reason on the form) when the service refuses."""
    unit = next((u for u in selectors.receiving_units_for(draft.version) if u.pk == d["unit"]), None)
    try:
        if unit is None:
            raise services.PortalError(_("Choose the office again."))
        return services.draft_submit(
            draft=draft,
            applicant=ApplicantIn(
                kind=a["kind"],
                name=a["name"],
                id_number=a["id_number"],
                address=a["address"],
                phone=a["phone"],
                email=a["email"],
            ),
            unit=unit,
            return_method=d["return_method"],
            return_address=d["return_address"],
            summary=a["summary"],
            by=request.user,
        )
    except (services.PortalError, DossierError) as exc:
        form.add_error(None, str(exc))
        return None


@require_POST
def draft_autosave(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Background save of a step while the citizen types (htmx); a plain post just goes back."""
    user = _citizen(request)
    if step not in services.DRAFT_STEPS:
        raise Http404
    draft = selectors.draft_get_for_user(user=user, pk=pk)
    form_class = ApplicantStepForm if step == "applicant" else DeliveryStepForm
    kwargs: dict[str, Any] = {"units": []} if step == "delivery" else {}
    try:
        services.draft_save_step(draft=draft, step=step, values=_raw(request, form_class(**kwargs)))
    except services.PortalError as exc:
        return render(request, "portal/partials/_autosave.html", {"error": str(exc)})
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("portal:draft_step", pk=draft.pk, step=step)
    return render(request, "portal/partials/_autosave.html", {"at": timezone.localtime()})


@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _citizen(request)
    draft = selectors.draft_get_for_user(user=user, pk=pk)
    try:
        services.draft_delete(draft=draft)
    except services.PortalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Draft deleted."))
    return redirect("portal:my_dossiers")
