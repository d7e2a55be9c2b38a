"""Schemathesis on the work-file operations, signed in as the clerk who keeps the files and aimed
at objects that exist (a plan line, an open and a closed file, a document): valid and invalid
input never gives a server error, and every answer is one the OpenAPI document lists."""

from __future__ import annotations

import os
import secrets
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import sign_in
from egov.core.tests.test_api_fuzz import connection_kept  # noqa: F401 (fixture)
from egov.documents import services
from egov.documents.tests.conftest import Office

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EXAMPLES = int(os.environ.get("EGOV_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_work_file_operations_answer_bad_input_without_server_errors(
    office: Office,
    registered: Any,
    connection_kept: None,  # noqa: F811
) -> None:
    c = office.committee
    line = services.file_plan_entry_save(
        unit=c.unit, year=timezone.localdate().year, code="01", title="Dòng", retention="5", by=c.clerk
    )
    open_file = services.work_file_open(unit=c.unit, notation="02", title="Mở", retention="5", by=c.clerk)
    closed_file = services.work_file_open(unit=c.unit, notation="03", title="Đóng", retention="5", by=c.clerk)
    services.work_file_add_document(work_file=closed_file, document=registered().document, by=c.clerk)
    services.work_file_close(work_file=closed_file, by=c.clerk)
    client = Client()
    sign_in(client, c.clerk)
    csrf = secrets.token_hex(16)
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    headers = {"X-CSRFToken": csrf}
    app = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses: Counter[int] = Counter()

    def fuzz(operation: Any, path_parameters: dict[str, Any]) -> None:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @seed(20261207)
            @hypothesis_settings(
                max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
            )
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            def run(case: Any) -> None:
                response = case.call(app=app, cookies=cookies, headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            run()

    for result in schema.get_all_operations():
        operation = result.ok()
        if "/work-files" not in operation.path:
            continue
        names = {p.name for p in operation.path_parameters}
        if "action" in names:
            for action in ("add", "remove", "close", "hold", "release"):
                fuzz(operation, {"work_file_id": open_file.pk, "action": action})
        elif "work_file_id" in names:
            for work_file in (open_file, closed_file):
                fuzz(operation, {"work_file_id": work_file.pk})
        elif "line_id" in names:
            fuzz(operation, {"line_id": line.pk})
        else:
            fuzz(operation, {})
    assert not [s for s in statuses if s >= 500]
    assert statuses[200] and statuses[422], statuses
