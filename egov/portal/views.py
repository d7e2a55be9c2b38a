"""Citizen portal pages: home, profile, my dossiers, supplements, results, ratings, feedback,
public look-up and the transparency page (applying online: apply_views). Server-rendered; every
page works without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.catalog.models import Procedure
from egov.catalog.selectors import fields_in_use
from egov.core.uploads import attachment_response
from egov.dossiers.models import FINISHED_STATES, FileKind
from egov.dossiers.services import DossierError, dossier_supplement_submit
from egov.portal import selectors, services
from egov.portal.forms import (
    FeedbackForm,
    LookupForm,
    ProfileForm,
    RatingForm,
    SupplementForm,
    TransparencyForm,
)
from egov.portal.http import citizen_only as _citizen
from egov.portal.http import posted
from egov.portal.identity.identifiers import phone_display
from egov.portal.models import CitizenProfile, FeedbackAbout, Rating
from egov.portal.ratelimit import rate_limited

# ---------------------------------------------------------------- home and profile


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "fields": fields_in_use(),
        "popular": selectors.popular_procedures(),
    }
    return render(request, "portal/home.html", context)


def profile(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    current = CitizenProfile.objects.filter(user=user).first()
    initial = (
        {f: getattr(current, f) for f in services.PROFILE_FIELDS}
        if current
        else {"full_name": user.full_name, "phone": user.phone, "email": user.email}
    )
    initial["phone"] = phone_display(initial.get("phone") or "")
    form = ProfileForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your details are saved; they will fill in your next applications."))
            return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form}, status=422 if form.errors else 200)


# ---------------------------------------------------------------- my dossiers


def my_dossiers(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    context = {
        "dossiers": selectors.citizen_dossiers(user)[:200],
        "drafts": selectors.citizen_drafts(user)[:50],
    }
    return render(request, "portal/my_dossiers.html", context)


def dossier_detail(
    request: HttpRequest, pk: int, supplement_form: Any = None, rating_form: Any = None
) -> HttpResponse:
    user = _citizen(request)
    dossier = selectors.citizen_dossier_get(user=user, pk=pk)
    pause = selectors.open_supplement_request(dossier)
    rating = Rating.objects.filter(dossier=dossier).first()
    can_rate = dossier.state in FINISHED_STATES and rating is None
    context = {
        "d": dossier,
        "timeline": selectors.citizen_timeline(dossier),
        "pause": pause,
        "supplement_form": (supplement_form or SupplementForm()) if pause else None,
        "results": selectors.result_files(dossier),
        "rating": rating,
        "rating_form": (rating_form or RatingForm()) if can_rate else None,
        "papers": dossier.papers.all(),
        "files": dossier.files.filter(kind__in=[FileKind.SCAN, FileKind.SUPPLEMENT]),
    }
    failed = supplement_form is not None or rating_form is not None
    return render(request, "portal/dossier_detail.html", context, status=422 if failed else 200)


@require_POST
def dossier_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _citizen(request)
    dossier = selectors.citizen_dossier_get(user=user, pk=pk)
    form = SupplementForm(request.POST, request.FILES)
    if selectors.open_supplement_request(dossier) is None:
        messages.info(request, _("No supplement is being asked for now."))
        return redirect("portal:dossier", pk=pk)
    if form.is_valid():
        try:
            dossier_supplement_submit(
                dossier=dossier, files=form.cleaned_data["files"], note=form.cleaned_data["note"], by=user
            )
        except (DossierError, ValidationError) as exc:
            form.add_error("files", str(exc) if isinstance(exc, DossierError) else exc)
        else:
            messages.success(
                request, _("Your papers are sent. The officer will check them and continue processing.")
            )
            return redirect("portal:dossier", pk=pk)
    return dossier_detail(request, pk, supplement_form=form)


@require_POST
def dossier_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _citizen(request)
    dossier = selectors.citizen_dossier_get(user=user, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_submit(dossier=dossier, by=user, **form.cleaned_data)
        except services.PortalError as exc:
            messages.info(request, str(exc))
            return redirect("portal:dossier", pk=pk)
        messages.success(request, _("Thank you for your rating."))
        return redirect("portal:dossier", pk=pk)
    return dossier_detail(request, pk, rating_form=form)


def dossier_result(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    user = _citizen(request)
    dossier = selectors.citizen_dossier_get(user=user, pk=pk)
    record = selectors.result_file_get(dossier=dossier, pk=file_pk)
    return attachment_response(
        record.file.open("rb"),
        content_type=record.content_type,
        name=record.name,
        stored_name=record.file.name or "",
    )


# ---------------------------------------------------------------- public look-up


@login_not_required
def lookup(request: HttpRequest) -> HttpResponse:
    """Find a dossier by its code and the applicant's phone number or the receipt's look-up code."""
    form = LookupForm(posted(request))
    found: selectors.PublicStatus | None = None
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "lookup", request.POST.get("code", "")):
            form.add_error(None, _("Too many look-ups. Please wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            found = selectors.dossier_lookup(code=form.cleaned_data["code"], proof=form.cleaned_data["proof"])
            if found is None:
                form.add_error(
                    None,
                    _(
                        "We found no dossier with this code and this phone number or look-up code. "
                        "Check both against your receipt and try again."
                    ),
                )
            else:
                status = 200
    context = {
        "form": form,
        "d": found,
        "timeline": found.timeline if found else [],
    }
    response = render(request, "portal/lookup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- feedback


def feedback_list(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    return render(request, "portal/feedback_list.html", {"items": selectors.citizen_feedback(user)[:200]})


def feedback_new(request: HttpRequest) -> HttpResponse:
    user = _citizen(request)
    dossiers = [
        (d.pk, f"{d.code} — {d.procedure_version.name}"[:120]) for d in selectors.citizen_dossiers(user)[:100]
    ]
    initial: dict[str, Any] = {"kind": "feedback"}
    if request.GET.get("dossier", "").isdigit():
        initial.update(about=FeedbackAbout.DOSSIER, dossier=int(request.GET["dossier"]))
    elif request.GET.get("procedure"):
        initial.update(about=FeedbackAbout.PROCEDURE, procedure=request.GET["procedure"][:40])
    form = FeedbackForm(posted(request), initial=initial, dossiers=dossiers)
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "feedback", str(user.pk)):
            form.add_error(
                None, _("You have sent a lot of feedback in a short time. Please try again later.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            dossier = (
                selectors.citizen_dossier_get(user=user, pk=data["dossier"])
                if data.get("dossier") and data["about"] != FeedbackAbout.PROCEDURE
                else None
            )
            procedure = None
            if data["about"] == FeedbackAbout.PROCEDURE:
                procedure = Procedure.objects.filter(code=data["procedure"].strip()).first()
                if procedure is None:
                    form.add_error("procedure", _("No procedure has this code."))
            if not form.errors:
                try:
                    item = services.feedback_send(
                        by=user,
                        kind=data["kind"],
                        about=data["about"],
                        subject=data["subject"],
                        body=data["body"],
                        dossier=dossier,
                        procedure=procedure,
                        officer_name=data["officer_name"] if data["about"] == FeedbackAbout.OFFICER else "",
                    )
                except (services.PortalError, ValidationError) as exc:
                    form.add_error(None, str(exc) if isinstance(exc, services.PortalError) else exc)
                else:
                    messages.success(
                        request, _("Your feedback is sent. You will be told when it is answered.")
                    )
                    return redirect("portal:feedback_detail", pk=item.pk)
    return render(request, "portal/feedback_form.html", {"form": form}, status=status)


def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _citizen(request)
    item = selectors.citizen_feedback_get(user=user, pk=pk)
    return render(request, "portal/feedback_detail.html", {"item": item})


# ---------------------------------------------------------------- transparency


@login_not_required
def transparency(request: HttpRequest) -> HttpResponse:
    """Per agency and month: dossiers received, resolved on time, late, and satisfaction."""
    agencies = list(selectors.transparency_agencies())
    form = TransparencyForm(request.GET or None, agencies=[(u.pk, u.name) for u in agencies])
    month = timezone.localdate().replace(day=1)
    agency = None
    if form.is_bound and form.is_valid():
        if form.cleaned_data["month"]:
            month = dt.datetime.strptime(form.cleaned_data["month"], "%Y-%m").date()
        agency = next((u for u in agencies if u.pk == form.cleaned_data["agency"]), None)
    if agency is not None:
        rows = selectors.transparency_history(agency=agency, until=month)
    else:
        rows = selectors.transparency_month(month=month)
    totals = selectors.AgencyMonth(0, _("Total"), month)
    for row in rows:
        for name in ("received", "on_time", "late", "ratings", "satisfied"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    context = {"form": form, "rows": rows, "totals": totals, "month": month, "agency": agency}
    return render(request, "portal/transparency.html", context)
