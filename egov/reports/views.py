"""Statistics pages: form II.06a with drill-down and exports."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from egov.accounts.permissions import is_staff_user
from egov.dossiers.selectors import dossiers_visible_to
from egov.reports import exports
from egov.reports.forms import ReportForm
from egov.reports.ii06a import COLUMNS, drill_down, ii06a
from egov.reports.selectors import report_unit_get, report_units_for


def _unit_choices(request: HttpRequest) -> list[tuple[int, str]]:
    units = (
        report_units_for(request.user)
        .filter(kind__in=["province", "district", "commune", "committee", "department"])
        .valid_on(timezone.localdate())
        .order_by("path")
    )
    return [(u.pk, u.name) for u in units[:3000]]


def report_ii06a(request: HttpRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied
    choices = _unit_choices(request)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today, "unit": choices[0][0] if choices else None}
    form = ReportForm(request.GET if "unit" in request.GET else None, units=choices, initial=initial)
    report = None
    if form.is_bound and form.is_valid():
        unit = report_unit_get(user=request.user, pk=form.cleaned_data["unit"])
        report = ii06a(
            unit=unit,
            period=form.cleaned_data["period"],
            group_by=form.cleaned_data["group_by"],
            with_predecessors=form.cleaned_data["with_predecessors"],
        )
        fmt = request.GET.get("format")
        if fmt in {"xlsx", "pdf"}:
            content = exports.to_xlsx(report) if fmt == "xlsx" else exports.to_pdf(report)
            mime = (
                "application/pdf"
                if fmt == "pdf"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response = HttpResponse(content, content_type=mime)
            p = report.period
            response["Content-Disposition"] = (
                f'attachment; filename="II06a-{p.start:%Y%m%d}-{p.end:%Y%m%d}.{fmt}"'
            )
            return response
    context = {
        "form": form,
        "report": report,
        "columns": [(k, n, exports.HEADINGS[k]) for k, n in COLUMNS],
        "query": request.GET.urlencode(),
        "footer": exports.FOOTER,
    }
    return render(request, "reports/ii06a.html", context, status=422 if form.errors else 200)


def report_drill(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number (only those the user may see)."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    choices = _unit_choices(request)
    form = ReportForm(request.GET, units=choices)
    column = request.GET.get("col", "")
    if not form.is_valid() or column not in dict(COLUMNS):
        return render(request, "reports/drill.html", {"form": form, "page": None}, status=422)
    unit = report_unit_get(user=request.user, pk=form.cleaned_data["unit"])
    qs = drill_down(
        unit=unit,
        period=form.cleaned_data["period"],
        column=column,
        group_by=form.cleaned_data["group_by"],
        group=request.GET.get("group", ""),
    )
    visible = dossiers_visible_to(request.user).filter(pk__in=qs.values("pk")).order_by("received_at")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    heading = exports.HEADINGS[column]
    return render(
        request,
        "reports/drill.html",
        {
            "page": page,
            "unit": unit,
            "heading": heading,
            "group": request.GET.get("group", ""),
            "today": dt.date.today(),
        },
    )
