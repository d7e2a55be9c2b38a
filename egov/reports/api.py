"""Statistics through the API: the same numbers as the pages and the CLI."""

from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from egov.accounts.types import AuthedRequest
from egov.core.api import OBJECT_ERRORS, error_body
from egov.core.schema import Day, Line
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period
from egov.reports.schemas import DashboardOut, Ii06aOut
from egov.reports.selectors import dashboard_data, report_unit_for_statistics

router = Router(tags=["reports"])

UnitCode = Annotated[Line, Field(max_length=40)]


@router.get(
    "/ii06a",
    response={200: Ii06aOut, **OBJECT_ERRORS},
    by_alias=True,
    summary="Form II.06a for a unit (agency identifier or statistics code, or unit_id) and a period",
)
def report_ii06a(
    request: AuthedRequest,
    start: Day,
    end: Day,
    unit: UnitCode = "",
    unit_id: int | None = None,
    group_by: Literal["field", "level"] = "field",
) -> Any:
    target = report_unit_for_statistics(user=request.user, unit_id=unit_id, code=unit)
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
    response={200: DashboardOut, **OBJECT_ERRORS},
    by_alias=True,
    summary="The leaders' dashboard numbers for a unit (last 12 months)",
)
def report_dashboard(request: AuthedRequest, unit: UnitCode = "", unit_id: int | None = None) -> Any:

    target = report_unit_for_statistics(user=request.user, unit_id=unit_id, code=unit)
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
