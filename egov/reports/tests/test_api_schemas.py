"""The reports API's answers are described by their schemas, exactly, in the OpenAPI document too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from ninja import Schema

from egov.plans.schemas import Index766Out, KpisOut
from egov.reports.schemas import DashboardOut, Ii06aOut


@pytest.fixture
def reporting(client: Client, receive: Any, province: Any, login_as: Callable[[str], Any]) -> Client:
    from egov.plans.services import load_plan_data

    for _ in range(3):
        receive()
    load_plan_data(by=None)
    login_as("system_admin")
    return client


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"unit": "1", "start": today.replace(day=1).isoformat(), "end": today.isoformat()}


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node


@pytest.mark.parametrize(
    ("path", "params", "schema"),
    [
        ("/api/v1/reports/ii06a", _period, Ii06aOut),
        ("/api/v1/reports/dashboard", lambda: {"unit": "1"}, DashboardOut),
        ("/api/v1/reports/kpis", _period, KpisOut),
        ("/api/v1/reports/index-766", _period, Index766Out),
    ],
)
def test_each_report_answers_exactly_its_schema(
    reporting: Client, path: str, params: Callable[[], dict[str, str]], schema: type[Schema]
) -> None:
    response = reporting.get(path, params())
    assert response.status_code == 200
    body = response.json()
    # Round trip: the schema has every field of the answer (none dropped) and nothing more.
    assert schema.model_validate(body).model_dump(mode="json", by_alias=True) == body

    spec = reporting.get("/api/v1/openapi.json").json()
    ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    described = _resolve(spec, ok)
    assert set(described["properties"]) == set(body)
    assert set(described.get("required", [])) == set(body)


def test_periods_are_from_and_to_in_the_answer_and_the_document(reporting: Client) -> None:
    body = reporting.get("/api/v1/reports/dashboard", {"unit": "1"}).json()
    assert set(body["period"]) == {"from", "to"}
    spec = reporting.get("/api/v1/openapi.json").json()
    assert set(spec["components"]["schemas"]["ReportPeriodOut"]["properties"]) == {"from", "to"}
