"""Every page and API endpoint of the foundation, against every persona."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Province
from egov.accounts.models import RoleAssignment, User

# (name, method, url builder, expected status per persona)
ANON_REDIRECT = 302
Matrix = dict[str, int]


def _url(name: str, p: Province, people: dict[str, Any]) -> str:
    officer_a1: User = people["officer_a1"]
    officer_b1: User = people["officer_b1"]
    return {
        "home": "/",
        "tree": "/units/",
        "unit_a1": p.commune_a1.get_absolute_url(),
        "staff_list": "/accounts/staff/",
        "staff_create_a1": f"/accounts/staff/new/{p.one_stop_a1.pk}/",
        "staff_create_b1": f"/accounts/staff/new/{p.one_stop_b1.pk}/",
        "staff_detail_a1": f"/accounts/staff/{officer_a1.pk}/",
        "staff_detail_b1": f"/accounts/staff/{officer_b1.pk}/",
        "import": "/units/import/",
        "audit": "/audit/",
        "api_tree": "/api/v1/units/tree",
        "api_unit_a1": f"/api/v1/units/{p.commune_a1.pk}",
        "api_me": "/api/v1/me",
        "healthz": "/healthz",
        "readyz": "/readyz",
        "openapi": "/api/v1/openapi.json",
    }[name]


PERSONAS = ["anonymous", "system_admin", "unit_admin_a", "officer_a1", "officer_b1", "citizen"]
# Expected status codes in PERSONAS order.
GET_MATRIX: dict[str, list[int]] = {
    "home": [302, 200, 200, 200, 200, 302],
    "tree": [302, 200, 200, 200, 200, 403],
    "unit_a1": [302, 200, 200, 200, 200, 404],
    "staff_list": [302, 200, 200, 200, 200, 200],
    "staff_create_a1": [302, 200, 200, 404, 404, 404],
    "staff_create_b1": [302, 200, 404, 404, 404, 404],
    "staff_detail_a1": [302, 200, 200, 404, 404, 404],
    "staff_detail_b1": [302, 200, 404, 404, 404, 404],
    "import": [302, 200, 403, 403, 403, 403],
    "audit": [302, 200, 403, 403, 403, 403],
    "api_tree": [401, 200, 200, 200, 200, 403],
    "api_unit_a1": [401, 200, 200, 200, 200, 404],
    "api_me": [401, 200, 200, 200, 200, 200],
    "healthz": [200, 200, 200, 200, 200, 200],
    "readyz": [200, 200, 200, 200, 200, 200],
    "openapi": [200, 200, 200, 200, 200, 200],
}
CASES = [
    (page, persona, codes[i]) for page, codes in GET_MATRIX.items() for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("page", "persona", "status"), CASES)
def test_get_access(
    client: Client,
    province: Province,
    personas: dict[str, Any],
    login_as: Callable[[str], Any],
    page: str,
    persona: str,
    status: int,
) -> None:
    login_as(persona)
    response = client.get(_url(page, province, personas))
    assert response.status_code == status
    if status == 302:
        # Anonymous people go to sign in; citizens' home is the portal.
        expected = "/accounts/login/" if persona == "anonymous" else "/cong-dan/"
        assert response["Location"].startswith(expected)


REVOKE_MATRIX = {
    "anonymous": 302,
    "system_admin": 302,
    "unit_admin_a": 302,
    "officer_a1": 404,
    "officer_b1": 404,
    "citizen": 404,
}


@pytest.mark.parametrize(("persona", "status"), REVOKE_MATRIX.items())
def test_role_revoke_access(
    client: Client, personas: dict[str, Any], login_as: Callable[[str], Any], persona: str, status: int
) -> None:
    assignment = RoleAssignment.objects.get(user=personas["officer_a1"])
    login_as(persona)
    response = client.post(f"/accounts/roles/{assignment.pk}/revoke/")
    assert response.status_code == status
    assignment.refresh_from_db()
    revoked = persona in {"system_admin", "unit_admin_a"}
    assert (assignment.revoked_at is not None) is revoked


def test_unit_admin_cannot_revoke_outside_their_district(
    client: Client, personas: dict[str, Any], login_as: Callable[[str], Any]
) -> None:
    assignment = RoleAssignment.objects.get(user=personas["officer_b1"])
    login_as("unit_admin_a")
    assert client.post(f"/accounts/roles/{assignment.pk}/revoke/").status_code == 404
    assignment.refresh_from_db()
    assert assignment.revoked_at is None
