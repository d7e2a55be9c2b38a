"""Statistics pages: form II.06a with drill-down and exports, and the leaders' dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import AuthedRequest
from egov.dossiers.models import Dossier
from egov.dossiers.selectors import dossiers_visible_to
from egov.reports import charts, exports
from egov.reports.forms import ReportForm, UnitForm
from egov.reports.ii06a import COLUMNS, drill_down, ii06a
from egov.reports.selectors import (
    Dashboard,
    chosen_unit,
    dashboard_data,
    report_unit_get,
    report_units_for,
    unit_choice_labels,
    unit_choices_for,
)


def _unit_choices(request: AuthedRequest) -> list[tuple[int, str]]:
    units = (
        report_units_for(request.user)
        .filter(kind__in=["province", "district", "commune", "committee", "department"])
        .valid_on(timezone.localdate())
        .order_by("path")
    )
    return [(u.pk, u.name) for u in units[:3000]]


def report_ii06a(request: AuthedRequest) -> HttpResponse:
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


def report_drill(request: AuthedRequest) -> HttpResponse:
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


# ---------------------------------------------------------------- the leaders' dashboard


def _pct_label(value: Decimal | None) -> str:
    return "" if value is None else f"{formats.number_format(value, 1)}%"


def _monthly_bars(
    chart_id: str,
    title: str,
    heading: str,
    pattern: str,
    labels: list[str],
    long_labels: list[str],
    values: list[int],
) -> dict[str, Any]:
    """A bar chart of one monthly count, with the rows of its fallback table."""
    fmt = formats.number_format
    return {
        "svg": charts.bar_chart(
            chart_id=chart_id,
            title=title,
            description=_("Bar chart, %(n)s months, from %(a)s to %(b)s; total %(t)s.")
            % {"n": len(labels), "a": long_labels[0], "b": long_labels[-1], "t": fmt(sum(values))},
            labels=labels,
            values=values,
            value_labels=[fmt(v) for v in values],
            pattern=pattern,
        ),
        "caption": title,
        "value_heading": heading,
        "rows": list(zip(long_labels, [fmt(v) for v in values], strict=True)),
    }


def trend_charts(data: Dashboard) -> list[dict[str, Any]]:
    """The three monthly charts with the rows of their fallback tables."""
    labels = [m.month.strftime("%m/%y") for m in data.months]
    long_labels = [m.month.strftime("%m/%Y") for m in data.months]
    rates = [m.on_time_rate for m in data.months]
    received = [m.received for m in data.months]
    resolved = [m.resolved for m in data.months]
    return [
        _monthly_bars(
            "chart-received",
            _("Dossiers received per month"),
            _("Received"),
            "hatch",
            labels,
            long_labels,
            received,
        ),
        _monthly_bars(
            "chart-resolved",
            _("Dossiers resolved per month"),
            _("Resolved"),
            "dots",
            labels,
            long_labels,
            resolved,
        ),
        {
            "svg": charts.line_chart(
                chart_id="chart-on-time",
                title=_("On-time rate per month"),
                description=_(
                    "Line chart of the share of resolved dossiers resolved early or on time, in percent; "
                    "months with nothing resolved are left blank."
                ),
                labels=labels,
                values=[None if r is None else float(r) for r in rates],
                value_labels=[_pct_label(r) for r in rates],
            ),
            "caption": _("On-time rate per month (early or on time / resolved)"),
            "value_heading": _("On-time rate"),
            "rows": [
                (label, _pct_label(r) or _("nothing resolved"))
                for label, r in zip(long_labels, rates, strict=True)
            ],
        },
    ]


def dashboard(request: AuthedRequest) -> HttpResponse:
    """The leaders' dashboard for one unit."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    unit, units = chosen_unit(request)
    form = UnitForm(initial={"unit": unit.pk if unit else None}, units=unit_choice_labels(units))
    context: dict[str, Any] = {"form": form, "data": None}
    if unit is not None:
        data = dashboard_data(unit=unit)
        context.update(data=data, charts=trend_charts(data))
    return render(request, "reports/dashboard.html", context)


def dashboard_drill(request: AuthedRequest) -> HttpResponse:
    """The dossiers of one procedure behind a number of the dashboard (those the user may see)."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    choices = [(u.pk, u.name) for u in unit_choices_for(request.user)]
    form = ReportForm(request.GET, units=choices)
    column = request.GET.get("col", "")
    code = request.GET.get("procedure", "").strip()
    if not form.is_valid() or column not in exports.HEADINGS or not code:
        return render(request, "reports/drill.html", {"form": form, "page": None}, status=422)
    unit = report_unit_get(user=request.user, pk=form.cleaned_data["unit"])
    qs: QuerySet[Dossier] = drill_down(unit=unit, period=form.cleaned_data["period"], column=column).filter(
        procedure_version__procedure__code=code
    )
    visible = dossiers_visible_to(request.user).filter(pk__in=qs.values("pk")).order_by("received_at")
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    context = {"page": page, "unit": unit, "heading": exports.HEADINGS[column], "group": code}
    return render(request, "reports/drill.html", context)
