"""The drafting API: the whole path from a draft to its issue and recall, and its error shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from egov.documents.models import AccessKind, AccessLog, Document, DraftState, EntryState
from egov.documents.selectors import clerk_queue
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import approved, issued

pytestmark = pytest.mark.django_db

BASE = "/api/v1/documents"


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_from_draft_to_issue_and_recall_through_the_api(office: Office) -> None:
    c = office.committee
    drafter = _client(c.specialist)
    created = _post(
        drafter,
        f"{BASE}/drafts",
        {
            "drafting_unit_id": c.division.pk,
            "doc_type": "CV",
            "subject": "V/v đôn đốc báo cáo",
            "recipients": [{"unit_id": office.department.unit.pk}, {"name": "Bộ Nội vụ"}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["state"] == "draft" and "submit_review" in body["actions"]
    refused = _post(drafter, f"{BASE}/drafts/{pk}/submit")
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {
        "file": [refused.json()["error"]["message"]]
    }
    version = drafter.post(f"{BASE}/drafts/{pk}/versions", {"file": pdf_upload(), "comment": "Bản đầu"})
    assert version.status_code == 201 and version.json()["version"] == 1
    assert _post(drafter, f"{BASE}/drafts/{pk}/submit").json()["state"] == "in_review"
    head = _client(c.head)
    assert [d["id"] for d in head.get(f"{BASE}/drafts/reviews").json()] == [pk]
    assert _post(drafter, f"{BASE}/drafts/{pk}/approve").status_code == 403
    assert _post(head, f"{BASE}/drafts/{pk}/send-back", {"comment": ""}).status_code == 422
    assert _post(head, f"{BASE}/drafts/{pk}/approve", {"comment": "Đồng ý"}).status_code == 200
    done = _post(_client(c.leader), f"{BASE}/drafts/{pk}/approve")
    assert done.json()["state"] == "approved"
    clerk = _client(c.clerk)
    assert [d["id"] for d in clerk.get(f"{BASE}/drafts/to-issue").json()] == [pk]
    wrong = clerk.post(f"{BASE}/drafts/{pk}/issue", {"register_id": c.incoming.pk})
    assert wrong.status_code == 422 and "register" in wrong.json()["error"]["fields"]
    signer = {"signer_position": "CHỦ TỊCH", "signer_name": "Nguyễn Văn An"}
    issued_doc = clerk.post(f"{BASE}/drafts/{pk}/issue", {"register_id": c.outgoing.pk, **signer})
    assert issued_doc.status_code == 200, issued_doc.content
    assert (issued_doc.json()["number"], issued_doc.json()["notation"]) == ("01", "UBND-VP")
    assert _post(clerk, f"{BASE}/drafts/{pk}/issue").status_code == 422
    assert [e.document_id for e in clerk_queue(office.department.clerk)] == [pk]
    recalled = _post(clerk, f"{BASE}/drafts/{pk}/recall", {"reason": "Sai số liệu"})
    assert recalled.json()["state"] == "recalled"
    recipient = recalled.json()["recipients"][0]
    assert recipient["frozen_at"] is not None
    assert (
        Document.objects.get(pk=pk).recipients.get(unit=office.department.unit).entry.state
        == EntryState.FROZEN
    )


def test_api_errors_have_the_standard_shape(office: Office) -> None:
    c = office.committee
    drafter = _client(c.specialist)
    bad = _post(
        drafter, f"{BASE}/drafts", {"drafting_unit_id": c.division.pk, "doc_type": "XX", "subject": ""}
    )
    assert bad.status_code == 422 and {"doc_type", "subject"} <= set(bad.json()["error"]["fields"])
    forbidden = _post(
        _client(c.clerk),
        f"{BASE}/drafts",
        {"drafting_unit_id": c.division.pk, "doc_type": "CV", "subject": "V/v"},
    )
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "http_error"
    document = approved(office)
    assert _client(office.outsider).get(f"{BASE}/drafts/{document.pk}").status_code == 404
    assert _client(c.leader).get(f"{BASE}/drafts/{document.pk}").status_code == 200
    assert AccessLog.objects.filter(document=document, user=c.leader, kind=AccessKind.VIEW).count() == 1
    assert not AccessLog.objects.filter(user=office.outsider).exists()
    assert Client().get(f"{BASE}/drafts").status_code == 401


def test_replace_through_the_api(office: Office) -> None:
    c = office.committee
    old, new = issued(office), issued(office, subject="V/v thay thế")
    clerk = _client(c.clerk)
    missing = _post(clerk, f"{BASE}/drafts/{old.pk}/replace", {"replacement_id": 999999, "reason": "x"})
    assert missing.status_code == 422
    done = _post(
        clerk, f"{BASE}/drafts/{old.pk}/replace", {"replacement_id": new.pk, "reason": "Sai số liệu"}
    )
    assert done.status_code == 200 and done.json()["replaced_by_id"] == new.pk
    assert Document.objects.get(pk=old.pk).state == DraftState.REPLACED
