"""Pages: registers (the administrator's list and form, the clerk's register page, printing),
office-work settings; reports, the access log, grants and watermarked copies are in
:mod:`egov.documents.views.registers_reports`."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user
from egov.core.uploads import attachment_response
from egov.documents import printing
from egov.documents.errors import DocumentError
from egov.documents.models import Register, RegisterKind
from egov.documents.permissions import AGENCY_KINDS, agency_of, can_administer
from egov.documents.selectors import profile_for, register_get_for_user
from egov.documents.services import registers as services
from egov.documents.stats import RegisterLines, agencies_for
from egov.documents.views import registers_reports
from egov.documents.views.registers_forms import PeriodForm, ProfileForm, RegisterForm, period_data
from egov.orgs.models import Unit

PAGE_SIZE = 50
KEEPERS = {Role.CLERK, Role.AGENCY_LEADER, Role.UNIT_ADMIN}


def registers_list(request: HttpRequest) -> HttpResponse:
    """Registers of the agencies the user keeps, leads or administers, by agency."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    agencies = agencies_for(request.user, {str(r) for r in KEEPERS})
    if not agencies:
        raise PermissionDenied
    registers = Register.objects.filter(agency__in=agencies).order_by("agency__path", "kind", "code")
    by_agency: dict[int, list[Register]] = {a.pk: [] for a in agencies}
    for r in registers:
        by_agency[r.agency_id].append(r)
    rows = [
        {"agency": a, "registers": by_agency[a.pk], "admin": can_administer(request.user, a)}
        for a in agencies
    ]
    return render(request, "documents/registers/list.html", {"rows": rows})


def _administered(request: HttpRequest, unit_id: Any) -> Unit:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = get_object_or_404(Unit, pk=pk)
    if not can_administer(request.user, agency_of(unit)):
        raise PermissionDenied
    return unit


def _register_form_page(
    request: HttpRequest, *, agency: Unit, register: Register | None, initial: dict[str, Any]
) -> HttpResponse:
    form = RegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "agency": agency, "register": register}
    if request.method != "POST":
        return render(request, "documents/registers/form.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.register_save(
                agency=agency,
                by=request.user,  # type: ignore[arg-type]
                register=register,
                kind=data["kind"],
                name=data["name"],
                code=data["code"],
                is_secret=data["is_secret"],
                document_types=data["document_types"],
                is_active=data["is_active"],
            )
        except DocumentError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect("documents:register", pk=saved.pk)
    return render(request, "documents/registers/form.html", context, status=422)


@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest) -> HttpResponse:
    agency = _administered(request, request.GET.get("agency"))
    if agency.kind not in AGENCY_KINDS:
        raise Http404
    return _register_form_page(
        request, agency=agency, register=None, initial={"kind": RegisterKind.INCOMING, "is_active": True}
    )


@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    register = register_get_for_user(user=request.user, pk=pk)
    if not can_administer(request.user, register.agency):
        raise PermissionDenied
    initial = {
        "kind": register.kind,
        "name": register.name,
        "code": register.code,
        "is_secret": register.is_secret,
        "document_types": register.document_types,
        "is_active": register.is_active,
    }
    return _register_form_page(request, agency=register.agency, register=register, initial=initial)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return year if 1900 <= year <= 2199 else timezone.localdate().year


def register_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A register's lines of a year, newest first (the index on register, year, number)."""
    register = register_get_for_user(user=request.user, pk=pk)
    year = _year(request)
    incoming = register.kind == RegisterKind.INCOMING
    lines: Any = RegisterLines(register, year)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "register": register,
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "page": page,
        "incoming": incoming,
        "admin": can_administer(request.user, register.agency),
        "period": PeriodForm(
            initial={"start": dt.date(year, 1, 1), "end": min(today, dt.date(year, 12, 31))}
        ),
    }
    return render(request, "documents/registers/register.html", context)


def register_print(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The register of a period as PDF (A4 landscape, Annex IV) or .xlsx, to sign and close."""
    register = register_get_for_user(user=request.user, pk=pk)
    form = PeriodForm(period_data(request.GET, timezone.localdate()))
    if not form.is_valid():
        context = {"register": register, "form": form}
        return render(request, "documents/registers/print_form.html", context, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    printed = printing.printed_register(register=register, start=start, end=end)
    name = f"so-{register.code.lower()}-{start:%Y%m%d}-{end:%Y%m%d}"
    if request.GET.get("format") == "xlsx":
        data = printing.register_xlsx(printed)
        return attachment_response(
            io.BytesIO(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name=f"{name}.xlsx",
        )
    pdf = printing.register_pdf(printed)
    return attachment_response(io.BytesIO(pdf), content_type="application/pdf", name=f"{name}.pdf")


@require_http_methods(["GET", "POST"])
def office_settings(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The unit's office-work settings: abbreviation, review chain, done acceptance."""
    unit = _administered(request, unit_id)
    profile = profile_for(unit)
    initial = ProfileForm.initial_for(
        profile.abbreviation, list(profile.review_roles), profile.done_needs_acceptance
    )
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "unit": unit, "saved": request.GET.get("saved") == "1"}
    if request.method != "POST":
        return render(request, "documents/registers/settings.html", context)
    if form.is_valid():
        try:
            services.document_profile_save(
                unit=unit,
                by=request.user,  # type: ignore[arg-type]
                abbreviation=form.cleaned_data["abbreviation"],
                review_roles=form.review_roles(),
                done_needs_acceptance=form.cleaned_data["done_needs_acceptance"],
            )
        except DocumentError as exc:
            field = "review_1" if exc.field == "review_roles" else exc.field
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            return redirect(f"{request.path}?saved=1")
    context["error_title"] = _("The settings were not saved:")
    return render(request, "documents/registers/settings.html", context, status=422)


urlpatterns: list[URLPattern] = [
    path("registers/", registers_list, name="registers"),
    path("registers/new/", register_create, name="register_create"),
    path("registers/<int:pk>/", register_page, name="register"),
    path("registers/<int:pk>/edit/", register_edit, name="register_edit"),
    path("registers/<int:pk>/print/", register_print, name="register_print"),
    path("settings/<int:unit_id>/", office_settings, name="office_settings"),
    *registers_reports.urlpatterns,
]
