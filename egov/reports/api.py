"""Statistics through the API: the same numbers as the pages and the CLI."""

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import Field

from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, error_body
from egov.core.schema import Day, Line
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period
from egov.reports.selectors import report_unit_get

router = Router(tags=["reports"])

UnitCode = Annotated[Line, Field(max_length=40)]


def _unit(request: HttpRequest, unit: str, unit_id: int | None) -> Any:
    """The unit by id or by agency identifier / statistics code, if the caller may report on it."""
    if not is_staff_user(request.user):
        raise HttpError(403, _("Statistics are for civil servants."))
    if unit_id:
        return report_unit_get(user=request.user, pk=unit_id)
    return report_unit_get(user=request.user, code=unit)


@router.get(
    "/ii06a",
    response={200: dict, **OBJECT_ERRORS},
    summary="Form II.06a for a unit (agency identifier or statistics code, or unit_id) and a period",
)
def report_ii06a(
    request: HttpRequest,
    start: Day,
    end: Day,
    unit: UnitCode = "",
    unit_id: int | None = None,
    group_by: Literal["field", "level"] = "field",
) -> Any:
    target = _unit(request, unit, unit_id)
    try:
        period = Period(start, end)
    except ValueError as exc:
        return Status(422, error_body("invalid", _("The period is not valid."), {"end": [str(exc)]}))
    if group_by not in {"field", "level"}:
        return Status(
            422, error_body("invalid", _("The data is not valid."), {"group_by": ["field | level"]})
        )
    return Status(200, ii06a(unit=target, period=period, group_by=group_by).as_json())


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/dashboard",
    response={200: dict, **OBJECT_ERRORS},
    summary="The leaders' dashboard numbers for a unit (last 12 months)",
)
def report_dashboard(request: HttpRequest, unit: UnitCode = "", unit_id: int | None = None) -> Any:
    from egov.reports.dashboard import dashboard_data

    target = _unit(request, unit, unit_id)
    data = dashboard_data(unit=target)
    k = data.kpis
    return {
        "unit": {"id": target.pk, "name": target.name},
        "period": {"from": data.period.start.isoformat(), "to": data.period.end.isoformat()},
        "kpis": {
            "received": k.received,
            "received_online": k.received_online,
            "resolved": k.resolved,
            "resolved_in_time": k.resolved_in_time,
            "resolved_late": k.resolved_late,
            "overdue_now": k.overdue_now,
            "due_this_week": k.due_this_week,
            "on_time_rate": _num(k.on_time_rate),
            "online_share": _num(k.online_share),
            "satisfaction": _num(k.satisfaction),
            "rated": k.rated,
        },
        "months": [
            {
                "month": m.month.isoformat(),
                "received": m.received,
                "resolved": m.resolved,
                "on_time_rate": _num(m.on_time_rate),
            }
            for m in data.months
        ],
        "sub_units": [{"label": r.label, "resolved": r.resolved, "late": r.late} for r in data.sub_units],
        "procedures": [{"label": r.label, "resolved": r.resolved, "late": r.late} for r in data.procedures],
    }


@router.get(
    "/kpis", response={200: dict, **OBJECT_ERRORS}, summary="The plan's targets with their live values"
)
def report_kpis(
    request: HttpRequest,
    start: Day,
    end: Day,
    unit: UnitCode = "",
    unit_id: int | None = None,
    plan: Annotated[Line, Field(max_length=40)] = "",
) -> Any:
    from egov.plans.measures import kpi_rows
    from egov.plans.selectors import plan_codes, plan_targets

    target_unit = _unit(request, unit, unit_id)
    try:
        period = Period(start, end)
    except ValueError as exc:
        return Status(422, error_body("invalid", _("The period is not valid."), {"end": [str(exc)]}))
    codes = plan_codes()
    chosen = plan or (codes[0] if codes else "")
    rows = kpi_rows(targets=plan_targets(plan=chosen), unit=target_unit, period=period)
    return Status(
        200,
        {
            "plan": chosen,
            "unit": {"id": target_unit.pk, "name": target_unit.name},
            "targets": [
                {
                    "key": r.target.key,
                    "indicator": r.target.indicator,
                    "target": _num(r.target.target),
                    "baseline": _num(r.target.baseline),
                    "value": _num(r.value),
                    "status": str(r.status),
                    "numerator": r.numerator,
                    "denominator": r.denominator,
                }
                for r in rows
            ],
        },
    )


@router.get(
    "/index-766", response={200: dict, **OBJECT_ERRORS}, summary="Service index (Decision 766) for a unit"
)
def report_index_766(
    request: HttpRequest, start: Day, end: Day, unit: UnitCode = "", unit_id: int | None = None
) -> Any:
    from egov.plans.index766 import score_units

    target = _unit(request, unit, unit_id)
    try:
        period = Period(start, end)
    except ValueError as exc:
        return Status(422, error_body("invalid", _("The period is not valid."), {"end": [str(exc)]}))
    score = score_units(root=target, units=[target], period=period)[target.pk]
    return Status(
        200,
        {
            "unit": {"id": target.pk, "name": target.name},
            "total": _num(score.total),
            "maximum": _num(score.maximum),
            "rating": score.rating,
            "groups": [
                {
                    "key": g.group.key,
                    "name": g.group.name,
                    "points": _num(g.points),
                    "max_points": _num(g.group.max_points),
                    "indicators": [
                        {
                            "key": i.indicator.key,
                            "name": i.indicator.name,
                            "points": _num(i.points),
                            "max_points": _num(i.indicator.max_points),
                            "numerator": i.numerator,
                            "denominator": i.denominator,
                            "has_data": i.has_data,
                        }
                        for i in g.indicators
                    ],
                }
                for g in score.groups
            ],
        },
    )
