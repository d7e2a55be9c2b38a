"""Statistics through the API: the same numbers as the pages and the CLI."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from egov.core.api import error_body
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period
from egov.reports.selectors import report_unit_get

router = Router(tags=["reports"])


@router.get(
    "/ii06a",
    response={200: dict, 422: dict},
    summary="Form II.06a for a unit (agency identifier or statistics code, or unit_id) and a period",
)
def report_ii06a(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    unit: str = "",
    unit_id: int | None = None,
    group_by: str = "field",
) -> Any:
    target = (
        report_unit_get(user=request.user, pk=unit_id)
        if unit_id
        else report_unit_get(user=request.user, code=unit)
    )
    try:
        period = Period(start, end)
    except ValueError as exc:
        return Status(422, error_body("invalid", _("The period is not valid."), {"end": [str(exc)]}))
    if group_by not in {"field", "level"}:
        return Status(
            422, error_body("invalid", _("The data is not valid."), {"group_by": ["field | level"]})
        )
    return Status(200, ii06a(unit=target, period=period, group_by=group_by).as_json())
