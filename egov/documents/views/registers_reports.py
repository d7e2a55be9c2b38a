"""Pages: handling reports with drill-down, the access log (and its .xlsx), grants on secret
documents, and watermarked copies of a document's PDF."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egov.accounts.models import Role, User
from egov.accounts.permissions import is_staff_user, role_paths
from egov.core.uploads import attachment_response
from egov.documents import printing, stats
from egov.documents.errors import DocumentError
from egov.documents.models import AccessGrant, AccessKind, DocumentFile
from egov.documents.permissions import can_read_access_log
from egov.documents.selectors import document_get_for_user
from egov.documents.services import access as services
from egov.documents.views.registers_forms import AccessLogFilter, GrantForm, PeriodForm, period_data
from egov.documents.workflow import Action, available_actions, holding_agencies
from egov.orgs.models import Unit

PAGE_SIZE = 50
REPORT_ROLES = {str(r) for r in (Role.AGENCY_LEADER, Role.CLERK, Role.UNIT_ADMIN, Role.AUDITOR)}
LOG_ROLES = {str(r) for r in (Role.UNIT_ADMIN, Role.AUDITOR)}


def _agency(request: HttpRequest, roles: set[str], allowed: Any) -> tuple[Unit, list[Unit]]:
    """The agency the query names (default: the user's first), if ``allowed``; 403 otherwise."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    agencies = [a for a in stats.agencies_for(request.user, roles) if allowed(request.user, a)]
    raw = request.GET.get("agency", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        chosen = next((a for a in agencies if a.pk == int(raw)), None)
        if chosen is None:
            raise PermissionDenied
        return chosen, agencies
    if not agencies:
        raise PermissionDenied
    return agencies[0], agencies


def handling_report(request: HttpRequest) -> HttpResponse:
    """On time / late / in progress / overdue per unit and per person, for an agency and period."""
    agency, agencies = _agency(request, REPORT_ROLES, stats.can_read_reports)
    form = PeriodForm(period_data(request.GET, timezone.localdate()))
    context: dict[str, Any] = {"agency": agency, "agencies": agencies, "form": form, "report": None}
    if not form.is_valid():
        return render(request, "documents/registers/report.html", context, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    context["report"] = stats.handling_report(agency=agency, start=start, end=end)
    context["labels"] = stats.BUCKET_LABELS
    context["query"] = f"agency={agency.pk}&start={start:%d/%m/%Y}&end={end:%d/%m/%Y}"
    return render(request, "documents/registers/report.html", context)


def _int_or_none(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def handling_drill(request: HttpRequest) -> HttpResponse:
    """The assignments behind one figure of the report."""
    agency, _agencies = _agency(request, REPORT_ROLES, stats.can_read_reports)
    form = PeriodForm(period_data(request.GET, timezone.localdate()))
    bucket = request.GET.get("bucket", "")
    if not form.is_valid() or bucket not in stats.BUCKETS:
        raise Http404
    qs = stats.handling_drill(
        agency=agency,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        bucket=bucket,
        unit_id=_int_or_none(request.GET.get("unit")),
        person_id=_int_or_none(request.GET.get("person")),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": agency,
        "page": page,
        "bucket_label": stats.BUCKET_LABELS[bucket],
        "form": form,
        "query": query.urlencode(),
    }
    return render(request, "documents/registers/drill.html", context)


def access_log(request: HttpRequest) -> HttpResponseBase:
    """Who read which document of the agency, when; filterable, exportable to .xlsx."""
    agency, agencies = _agency(request, LOG_ROLES, can_read_access_log)
    form = AccessLogFilter(request.GET)
    context: dict[str, Any] = {"agency": agency, "agencies": agencies, "form": form, "page": None}
    if not form.is_valid():
        return render(request, "documents/registers/access_log.html", context, status=422)
    qs = stats.access_log_for(agency=agency, **form.cleaned_data)
    if request.GET.get("format") == "xlsx":
        data = stats_xlsx(qs[:50_000])
        return attachment_response(
            io.BytesIO(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name=f"nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.xlsx",
        )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), query=query.urlencode())
    return render(request, "documents/registers/access_log.html", context)


def stats_xlsx(rows: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhat ky truy cap"
    ws.append(["Thời điểm", "Người dùng", "Họ và tên", "Thao tác", "Văn bản", "Trích yếu", "Tệp"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for log in rows:
        printing.xlsx_append(
            ws,
            [
                timezone.localtime(log.at).strftime("%d/%m/%Y %H:%M:%S"),
                log.user.username,
                log.user.get_full_name(),
                str(AccessKind(log.kind).label),
                log.document.number_notation or f"#{log.document_id}",
                log.document.subject,
                log.file.name if log.file is not None else "",
            ],
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _colleagues(document: Any, by: Any) -> list[tuple[int, str]]:
    """Staff of the agencies the leader leads that hold the document."""
    led = tuple(role_paths(by, {Role.AGENCY_LEADER}))
    agencies = [a for a in holding_agencies(document) if led and a.path.startswith(led)]
    if not agencies:
        return []
    units = Unit.objects.in_subtrees([a.path for a in agencies])
    people = User.objects.filter(
        kind="staff", is_active=True, roles__revoked_at__isnull=True, roles__unit__in=units
    )
    chosen = people.distinct().order_by("full_name", "pk")[:500]
    return [
        (p.pk, p.get_full_name() or p.username)
        for p in chosen
        if any(services.works_in(p, a) for a in agencies)
    ]


@require_http_methods(["GET", "POST"])
def access_grants(request: HttpRequest, pk: int) -> HttpResponse:
    """A secret document's grants; its holding agency's leader grants access here."""
    document = document_get_for_user(user=request.user, pk=pk)
    actions = available_actions(request.user, document)
    if Action.GRANT_ACCESS not in actions:
        raise PermissionDenied
    form = GrantForm(
        request.POST if request.method == "POST" else None, people=_colleagues(document, request.user)
    )
    context = {"document": document, "form": form, "grants": services.grants_of(document)}
    if request.method != "POST":
        return render(request, "documents/registers/grants.html", context)
    if form.is_valid():
        person = get_object_or_404(User, pk=form.cleaned_data["person"])
        try:
            services.access_grant(document=document, person=person, by=request.user)  # type: ignore[arg-type]
        except DocumentError as exc:
            form.add_error("person", str(exc))
        else:
            messages.success(request, _("Access granted to %(name)s.") % {"name": person.get_full_name()})
            return redirect("documents:access_grants", pk=document.pk)
    return render(request, "documents/registers/grants.html", context, status=422)


@require_POST
def access_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(AccessGrant.objects.select_related("person"), pk=pk)
    document = document_get_for_user(user=request.user, pk=grant.document_id)
    if Action.REVOKE_ACCESS not in available_actions(request.user, document):
        raise PermissionDenied
    try:
        services.access_revoke(grant=grant, by=request.user)  # type: ignore[arg-type]
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Access of %(name)s revoked.") % {"name": grant.person.get_full_name()})
    return redirect("documents:access_grants", pk=document.pk)


def _reader_agency(user: Any, document: Any) -> str:
    """The holding agency the reader works in, for the watermark."""
    paths = tuple(role_paths(user, {str(r) for r in Role}))
    held = holding_agencies(document)
    mine = next((a for a in held if any(p.startswith(a.path) or a.path.startswith(p) for p in paths)), None)
    return mine.name if mine is not None else document.issuer_name


def file_download_watermarked(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A document's PDF with the reader's name, the time and the agency on every page."""
    stored = get_object_or_404(DocumentFile, pk=pk)
    document = document_get_for_user(user=request.user, pk=stored.document_id)
    if stored.content_type != "application/pdf":
        raise Http404
    with stored.file.open("rb") as fh:
        data = fh.read()
    user = request.user
    assert isinstance(user, User)
    text = printing.watermark_text(
        full_name=user.get_full_name() or user.get_username(),
        at=timezone.now(),
        agency=_reader_agency(user, document),
    )
    try:
        stamped = printing.watermark_pdf(data, text=text)
    except printing.NotAPdf:
        message = _("This file cannot be stamped: it is not a readable PDF.")
        return render(request, "documents/registers/message.html", {"message": message}, status=422)
    kind = AccessKind.PRINT if request.GET.get("print") == "1" else AccessKind.DOWNLOAD
    services.access_record(document=document, user=user, kind=kind, file=stored)
    return attachment_response(
        io.BytesIO(stamped),
        content_type="application/pdf",
        name=stored.name,
        stored_name=stored.file.name or "",
    )


urlpatterns: list[URLPattern] = [
    path("reports/", handling_report, name="handling_report"),
    path("reports/entries/", handling_drill, name="handling_drill"),
    path("access-log/", access_log, name="access_log"),
    path("<int:pk>/access/", access_grants, name="access_grants"),
    path("access/<int:pk>/revoke/", access_revoke, name="access_revoke"),
    path("files/<int:pk>/watermarked/", file_download_watermarked, name="file_download_watermarked"),
]
