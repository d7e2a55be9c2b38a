"""The work-file API: plan lines, opening, acting on files, export; the standard error shapes."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from conftest import sign_in
from egov.documents import services
from egov.documents.models import WorkFile
from egov.documents.tests.conftest import Office

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents/work-files"


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_plan_lines_through_the_api(office: Office) -> None:
    c = office.committee
    client = _client(c.clerk)
    year = timezone.localdate().year
    body = {"unit_id": c.unit.pk, "year": year, "code": "01.TH", "title": "Tổng hợp", "retention": "10"}
    created = _post(client, f"{BASE}/plan", body)
    assert created.status_code == 201, created.content
    line = created.json()
    duplicate = _post(client, f"{BASE}/plan", body)
    assert duplicate.status_code == 422
    assert "code" in duplicate.json()["error"]["fields"]
    bad = _post(client, f"{BASE}/plan", {**body, "code": "X" * 21, "retention": "3"})
    assert bad.status_code == 422 and {"code", "retention"} <= set(bad.json()["error"]["fields"])
    changed = client.put(
        f"{BASE}/plan/{line['id']}",
        json.dumps({"code": "01.TH", "title": "Tổng hợp chung", "retention": "20", "owner_id": c.leader.pk}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["owner_id"] == c.leader.pk
    listed = client.get(f"{BASE}/plan", {"unit_id": c.unit.pk, "year": year}).json()
    assert [x["title"] for x in listed] == ["Tổng hợp chung"]
    assert _post(_client(c.specialist), f"{BASE}/plan", {**body, "code": "02"}).status_code == 404
    assert _post(_client(office.admin), f"{BASE}/plan", {**body, "code": "02"}).status_code == 403
    assert Client().get(f"{BASE}/plan", {"unit_id": c.unit.pk, "year": year}).status_code == 401


def test_open_act_and_export_through_the_api(office: Office, registered: Any) -> None:
    c = office.committee
    client = _client(c.clerk)
    opened = _post(client, BASE, {"unit_id": c.unit.pk, "code": "07", "title": "Hồ sơ API", "retention": "5"})
    assert opened.status_code == 201, opened.content
    file_id = opened.json()["id"]
    assert opened.json()["actions"] == ["file_add", "file_remove", "file_close"]
    assert (
        _post(client, BASE, {"unit_id": c.unit.pk, "code": "07", "title": "T", "retention": "5"}).status_code
        == 422
    )
    assert _post(client, BASE, {"code": "08"}).status_code == 422
    doc = registered(page_count=4).document
    added = _post(client, f"{BASE}/{file_id}/add", {"document_id": doc.pk})
    assert added.status_code == 200 and added.json()["documents"][0]["document_id"] == doc.pk
    assert added.json()["page_count"] == 4
    again = _post(client, f"{BASE}/{file_id}/add", {"document_id": doc.pk})
    assert again.status_code == 422 and "document_id" in again.json()["error"]["fields"]
    hidden = registered(office.commune).document
    assert _post(client, f"{BASE}/{file_id}/add", {"document_id": hidden.pk}).status_code == 404
    assert _post(client, f"{BASE}/{file_id}/hold", {"reason": "x"}).status_code == 403
    assert client.get(f"{BASE}/{file_id}/export").status_code == 422  # still open
    closed = _post(client, f"{BASE}/{file_id}/close", {})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["transfer_due_on"]
    assert _post(client, f"{BASE}/{file_id}/add", {"document_id": doc.pk}).status_code == 422
    export = client.get(f"{BASE}/{file_id}/export", {"files": "true"})
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert len(names) == 3
    listed = client.get(BASE, {"view": "closed"}).json()
    assert [x["id"] for x in listed["items"]] == [file_id]
    assert _client(office.outsider).get(f"{BASE}/{file_id}").status_code == 404
    assert _post(client, f"{BASE}/{file_id}/bogus", {}).status_code == 404


def test_legal_hold_through_the_api(office: Office) -> None:
    c = office.committee
    work_file = services.work_file_open(unit=c.unit, notation="09", title="T", retention="5", by=c.clerk)
    leader = _client(c.leader)
    assert _post(leader, f"{BASE}/{work_file.pk}/hold", {"reason": ""}).status_code == 422
    held = _post(leader, f"{BASE}/{work_file.pk}/hold", {"reason": "Thanh tra"})
    assert held.status_code == 200 and held.json()["legal_hold"] is True
    assert held.json()["actions"] == ["file_release"]
    refused = _post(_client(c.clerk), f"{BASE}/{work_file.pk}/close", {})
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == gettext(
        "The work file is under legal hold: it cannot change."
    )
    assert WorkFile.objects.get(pk=work_file.pk).legal_hold
