"""The registers API: the same services and rules as the pages, the standard error shapes."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import sign_in
from egov.documents.models import AccessKind, AccessLog, Register
from egov.documents.services import access
from egov.documents.tests.conftest import Office

pytestmark = pytest.mark.django_db

BASE = "/api/v1/documents/registers"


def test_admin_creates_and_renames_a_register_through_the_api(client: Client, office: Office) -> None:
    c = office.committee
    sign_in(client, office.admin)
    body = {
        "agency_id": c.unit.pk,
        "kind": "outgoing",
        "name": "Sổ quyết định",
        "code": "qd",
        "document_types": ["QD"],
    }
    response = client.post(BASE, body, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert (created["code"], created["document_types"]) == ("QD", ["QD"])
    response = client.post(BASE, body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "đã được dùng" in error["fields"]["code"][0]
    response = client.put(
        f"{BASE}/{created['id']}", {**body, "name": "Sổ QĐ"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Sổ QĐ"
    bad = client.post(BASE, {**body, "code": "x" * 21}, content_type="application/json")
    assert bad.status_code == 422 and "code" in str(bad.json()["error"]["fields"])
    assert Register.objects.filter(agency=c.unit).count() == 3


def test_register_lines_are_paginated_newest_first(client: Client, office: Office, registered: Any) -> None:
    for i in range(3):
        registered(number=str(10 + i), notation="BNV")
    sign_in(client, office.committee.clerk)
    page = client.get(f"{BASE}/{office.committee.incoming.pk}/lines").json()
    assert page["count"] == 3 and [line["number"] for line in page["items"]] == [3, 2, 1]
    assert client.get(f"{BASE}/{office.committee.incoming.pk}/lines?year=99999").status_code == 422


def test_access_log_api_for_the_administrator(client: Client, office: Office, registered: Any) -> None:
    entry = registered()
    access.access_record(document=entry.document, user=office.committee.leader, kind=AccessKind.VIEW)
    sign_in(client, office.admin)
    page = client.get(f"{BASE}/access-log?agency_id={office.committee.unit.pk}").json()
    assert page["count"] == 1 and page["items"][0]["user_id"] == office.committee.leader.pk
    sign_in(client, office.committee.clerk)
    denied = client.get(f"{BASE}/access-log?agency_id={office.committee.unit.pk}")
    assert denied.status_code == 403 and "error" in denied.json()


def test_records_view_logs_only_successful_answers(office: Office, registered: Any) -> None:
    entry = registered()
    document = entry.document

    @access.records_view(lambda request, **kw: document)
    def view(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
        return HttpResponse(status=status)

    request = RequestFactory().get("/")
    request.user = office.committee.clerk
    view(request, pk=document.pk)
    view(request, pk=document.pk, status=404)
    assert list(AccessLog.objects.values_list("kind", "user_id")) == [
        (AccessKind.VIEW, office.committee.clerk.pk)
    ]


def test_register_pages_are_number_ranges(client: Client, office: Office, registered: Any) -> None:
    from egov.documents.stats import RegisterLines

    for i in range(5):
        registered(number=str(10 + i), notation="BNV")
    lines = RegisterLines(office.committee.incoming, timezone.localdate().year)
    assert lines.count() == 5
    assert [e.arrival_number for e in lines[0:2]] == [5, 4]
    assert [e.arrival_number for e in lines[4:6]] == [1]
    sign_in(client, office.committee.clerk)
    page2 = client.get(f"{BASE}/{office.committee.incoming.pk}/lines?page=2&page_size=2").json()
    assert page2["count"] == 5
