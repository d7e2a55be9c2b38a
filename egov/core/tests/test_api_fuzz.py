"""Schemathesis against our own OpenAPI document, in process: valid and invalid input for every
operation, as anonymous and as a signed-in one-stop officer. No answer may be a server error,
and every answer must be one the document lists, in the shape it lists.

Bounded (a few examples per operation and mode) so the suite stays fast; the seed is fixed so a
failure reproduces. Raise EGOV_FUZZ_EXAMPLES for a longer hunt."""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
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

EXAMPLES = int(os.environ.get("EGOV_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _officer_credentials(personas: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Session and CSRF cookies of a one-stop officer past the second factor, and the CSRF header
    that the session-authenticated API demands on writes."""
    client = Client()
    sign_in(client, personas["officer_a1"])
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret is a valid token
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return cookies, {"X-CSRFToken": csrf}


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The test's transaction lives on the one connection: the real WSGI handler must not close
    it at the end of each request (Django's test client holds back the same signal)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["anonymous", "officer_a1"])
@pytest.mark.slow
def test_the_api_answers_bad_input_without_server_errors(
    who: str, procedure: Any, personas: dict[str, Any], receive: Any, connection_kept: None
) -> None:
    dossier = receive()  # one dossier, so the dossier operations have something to find
    app = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cookies, headers = _officer_credentials(personas) if who != "anonymous" else ({}, {})
    statuses: Counter[int] = Counter()
    # Besides random ids (mostly 404), aim at objects that exist, so the bodies reach the services.
    known = {"dossier_id": dossier.pk, "unit_id": dossier.receiving_unit_id, "code": "1.001193"}
    actions = ["forward", "send_back", "decide", "pause", "resume", "extend", "stop", "withdraw", "return"]

    def fuzz(operation: Any, examples: int, path_parameters: dict[str, Any] | None = None) -> None:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @seed(20261207)
            @hypothesis_settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            def run(case: Any) -> None:
                response = case.call(app=app, cookies=cookies, headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            run()

    for result in schema.get_all_operations():
        operation = result.ok()
        fuzz(operation, EXAMPLES)
        names = {p.name for p in operation.path_parameters}
        if "action" in names:
            for action in actions:
                fuzz(operation, max(EXAMPLES // 3, 1), {"dossier_id": dossier.pk, "action": action})
        elif names:
            # Path parameters of objects not made here (e.g. a saved search) stay random ids.
            fuzz(operation, EXAMPLES, {name: known[name] for name in names if name in known})

    assert statuses, "no case ran"
    assert not [s for s in statuses if s >= 500]
    print(f"{who}: {sum(statuses.values())} cases on {settings.DATABASES['default']['ENGINE']}: {statuses}")
