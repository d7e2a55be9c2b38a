from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import Province


def test_api_validation_errors_have_the_stable_shape(client: Client, login_as: Callable[[str], Any]) -> None:
    login_as("officer_a1")
    response = client.get("/api/v1/units/tree", {"as_of": "31/02/2025"})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert "as_of" in body["error"]["fields"]


def test_api_tree_as_of_a_date(client: Client, province: Province, login_as: Callable[[str], Any]) -> None:
    login_as("officer_a1")
    assert client.get("/api/v1/units/tree", {"as_of": "2020-01-01"}).json()[0]["name"] == "Tỉnh Thử Nghiệm"
    me = client.get("/api/v1/me").json()
    assert me["roles"] == [
        {
            "role": "one_stop_officer",
            "unit_id": province.one_stop_a1.pk,
            "unit_name": province.one_stop_a1.name,
        }
    ]


def test_unknown_unit_is_a_json_404(client: Client, login_as: Callable[[str], Any]) -> None:
    login_as("officer_a1")
    response = client.get("/api/v1/units/999999")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_openapi_and_local_docs_load_nothing_from_outside(client: Client, db: None) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units/tree" in spec["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/ninja/swagger-ui-bundle.js" in docs


def test_responses_carry_security_headers_and_request_id(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>").has_header("X-Request-ID")
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_readyz_reports_the_database(client: Client, db: None) -> None:
    assert client.get("/readyz").json()["status"] == "ok"


def test_vietnamese_stays_the_default_for_an_english_browser(client: Client, db: None) -> None:
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
