"""Plan KPIs and the service index (766), measured live for a unit the user may report on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import AuthedRequest
from egov.orgs.models import Unit
from egov.plans import index766, measures, metrics, selectors
from egov.plans.forms import MeasureForm, year_to_date
from egov.reports.selectors import chosen_unit, sub_units, unit_choice_labels


def _form(
    request: AuthedRequest, *, plans: list[str] | None = None
) -> tuple[MeasureForm, Unit | None, list[Unit]]:
    """The bound form with defaults filled in (the user's unit, this year to date, the latest plan)."""
    if not is_staff_user(request.user):
        raise PermissionDenied
    unit, units = chosen_unit(request)
    default = year_to_date(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("unit", str(unit.pk) if unit else "")
    data.setdefault("start", default.start.strftime("%d/%m/%Y"))
    data.setdefault("end", default.end.strftime("%d/%m/%Y"))
    if plans:
        data.setdefault("plan", plans[-1])
    return MeasureForm(data, units=unit_choice_labels(units), plans=plans), unit, units


def plan_kpis(request: AuthedRequest) -> HttpResponse:
    """Every target of a plan with its live value, definition and whether it is met."""
    plans = selectors.plan_codes()
    form, unit, _units = _form(request, plans=plans)
    context: dict[str, Any] = {"form": form, "unit": unit, "rows": None, "plan": plans[-1] if plans else ""}
    if unit is None or not form.is_valid():
        return render(request, "plans/kpis.html", context, status=422 if form.errors else 200)
    plan = form.cleaned_data.get("plan") or context["plan"]
    period = form.cleaned_data["period"]
    context.update(
        plan=plan,
        period=period,
        rows=measures.kpi_rows(targets=selectors.plan_targets(plan=plan), unit=unit, period=period),
    )
    return render(request, "plans/kpis.html", context)


def index_766(request: AuthedRequest) -> HttpResponse:
    """The service index for a unit and each unit directly below it."""
    form, unit, units = _form(request)
    context: dict[str, Any] = {
        "form": form,
        "unit": unit,
        "score": None,
        "thresholds": index766.RATING_THRESHOLDS,
        "rating_labels": index766.RATING_LABELS,
    }
    if unit is None or not form.is_valid():
        return render(request, "plans/index766.html", context, status=422 if form.errors else 200)
    period = form.cleaned_data["period"]
    groups = index766.index_groups()
    children = [c for c in sub_units(unit) if c.is_valid_on(period.end)]
    scores = index766.score_units(root=unit, units=[unit, *children], period=period, groups=groups)
    offered = {u.pk for u in units}
    context.update(
        period=period,
        groups=groups,
        score=scores[unit.pk],
        children=[(scores[c.pk], c.pk in offered) for c in children],
        metrics=metrics.METRICS,
    )
    return render(request, "plans/index766.html", context)
