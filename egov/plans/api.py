"""The plan's numbers through the API, under /reports beside the statistics they are measured from.

Here rather than in ``egov.reports.api`` so that reports never imports plans (plans is built on
reports: its targets are measured with the reports' conventions)."""

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from egov.accounts.types import AuthedRequest
from egov.core.api import OBJECT_ERRORS, error_body
from egov.core.schema import Day, Line
from egov.plans.index766 import score_units
from egov.plans.measures import kpi_rows
from egov.plans.schemas import Index766Out, KpisOut
from egov.plans.selectors import plan_codes, plan_targets
from egov.reports.periods import Period
from egov.reports.selectors import report_unit_for_statistics

router = Router(tags=["reports"])

UnitCode = Annotated[Line, Field(max_length=40)]


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get(
    "/kpis", response={200: KpisOut, **OBJECT_ERRORS}, summary="The plan's targets with their live values"
)
def report_kpis(
    request: AuthedRequest,
    start: Day,
    end: Day,
    unit: UnitCode = "",
    unit_id: int | None = None,
    plan: Annotated[Line, Field(max_length=40)] = "",
) -> Any:
    target_unit = report_unit_for_statistics(user=request.user, unit_id=unit_id, code=unit)
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
    "/index-766",
    response={200: Index766Out, **OBJECT_ERRORS},
    summary="Service index (Decision 766) for a unit",
)
def report_index_766(
    request: AuthedRequest, start: Day, end: Day, unit: UnitCode = "", unit_id: int | None = None
) -> Any:
    target = report_unit_for_statistics(user=request.user, unit_id=unit_id, code=unit)
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
