"""The incoming and handling pages and API: the whole path from registration to done, and bad
input re-rendered with 422 and the input kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from egov.documents import services
from egov.documents.models import Assignment, AssignmentRole, AssignmentState, Entry, EntryState
from egov.documents.tests.conftest import Office, pdf_upload
from egov.notifications.models import StaffMessage

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _register_data(office: Office, **overrides: Any) -> dict[str, Any]:
    data = {
        "register": office.committee.incoming.pk,
        "medium": "paper",
        "doc_type": "CV",
        "number": "321",
        "notation": "STC-NS",
        "issued_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "issuer_name": "Sở Tài chính",
        "subject": "V/v quyết toán ngân sách",
        "urgency": "normal",
        "secrecy": "none",
    }
    data.update(overrides)
    return data


def test_register_page_warns_of_a_duplicate_and_registers_it_when_confirmed(office: Office) -> None:
    clerk = _client(office.committee.clerk)
    url = reverse("documents:incoming_register")
    assert clerk.get(url).status_code == 200
    first = clerk.post(url, {**_register_data(office), "main_file": pdf_upload()})
    assert first.status_code == 302
    entry = Entry.objects.get()
    assert first["Location"] == entry.get_absolute_url()
    again = clerk.post(url, _register_data(office))
    assert again.status_code == 422
    page = again.content.decode()
    assert entry.get_absolute_url() in page and 'name="accept_duplicate"' in page
    assert 'value="V/v quyết toán ngân sách"' in page or "V/v quyết toán ngân sách</textarea>" in page
    confirmed = clerk.post(url, {**_register_data(office), "accept_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Entry.objects.count() == 2
    # The clerk's queue lists both with their submission clock.
    queue = clerk.get(reverse("documents:incoming_queue"))
    assert queue.status_code == 200 and queue.content.decode().count("V/v quyết toán") == 2


def test_register_page_refuses_bad_input_keeping_it(office: Office) -> None:
    clerk = _client(office.committee.clerk)
    response = clerk.post(
        reverse("documents:incoming_register"),
        _register_data(office, register=office.committee.outgoing.pk, number="x" * 12),
    )
    assert response.status_code == 422
    assert Entry.objects.count() == 0
    assert "Sở Tài chính" in response.content.decode()


def test_from_registration_to_done_through_the_pages(office: Office, registered: Any) -> None:
    c = office.committee
    entry = registered()
    clerk = _client(c.clerk)
    assert (
        clerk.post(reverse("documents:entry_submit", args=[entry.pk]), {"leader": c.leader.pk}).status_code
        == 302
    )
    leader = _client(c.leader)
    assert entry.document.subject in leader.get(reverse("documents:leader_queue")).content.decode()
    direct_url = reverse("documents:entry_direct", args=[entry.pk])
    form = leader.get(direct_url, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    assert form.status_code == 200 and 'name="viewport"' in form.content.decode()
    response = leader.post(
        direct_url,
        {
            "text": "Giao Văn phòng chủ trì",
            "lead": f"u:{c.division.pk}",
            "co_handlers": [f"p:{c.specialist.pk}"],
            "due_days": 5,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PROGRESS
    head = _client(c.head)
    inbox = head.get(reverse("documents:inbox")).content.decode()
    assert entry.document.subject[:40] in inbox
    assert StaffMessage.objects.get(recipient=c.head).subject in inbox  # the message is readable there
    lead = Assignment.objects.get(role=AssignmentRole.LEAD)
    note = head.post(
        reverse("documents:assignment_note", args=[lead.pk]),
        {"kind": "progress", "text": "Đang tổng hợp", "file": pdf_upload("bao-cao.pdf")},
    )
    assert note.status_code == 302
    page = head.get(entry.get_absolute_url()).content.decode()
    assert "Đang tổng hợp" in page and "bao-cao.pdf" in page
    stored = entry.document.files.get(name="bao-cao.pdf")
    download = head.get(reverse("documents:entry_file", args=[entry.pk, stored.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    done = head.post(reverse("documents:assignment_done", args=[lead.pk]), {"text": "Đã trả lời"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.DONE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_on": "2020-01-01"}, 'id="id_due_on_error"'),
        ({"lead": "two"}, 'id="id_lead_error"'),
        ({"lead": "outside"}, 'id="id_lead_error"'),
    ],
)
def test_direction_page_bad_input_is_422_with_the_input_kept(
    office: Office, registered: Any, data: dict[str, Any], message: str
) -> None:
    c = office.committee
    entry = registered()
    services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    leads = {
        "two": [f"u:{c.division.pk}", f"p:{c.specialist.pk}"],
        "outside": f"u:{office.commune.division.pk}",
    }
    post = {"text": "Ý kiến chỉ đạo giữ nguyên", "lead": f"u:{c.division.pk}", "due_days": ""}
    post.update({k: leads.get(v, v) for k, v in data.items()})
    response = _client(c.leader).post(reverse("documents:entry_direct", args=[entry.pk]), post)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and "Ý kiến chỉ đạo giữ nguyên" in page
    assert not Assignment.objects.exists()


def test_forward_past_the_parent_deadline_is_422(office: Office, registered: Any) -> None:
    c = office.committee
    entry = registered()
    services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    lead = services.entry_direct(entry=entry, text="", lead=c.division, due=3, by=c.leader).assignments.get()
    far = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = _client(c.head).post(
        reverse("documents:assignment_forward", args=[lead.pk]),
        {"text": "Giao em", "lead": f"p:{c.specialist.pk}", "due_on": far},
    )
    assert response.status_code == 422
    assert 'id="id_due_on_error"' in response.content.decode() and "Giao em" in response.content.decode()


def test_delegation_page(office: Office) -> None:
    c = office.committee
    leader = _client(c.leader)
    url = reverse("documents:delegations")
    today = timezone.localdate()
    bad = leader.post(
        url,
        {"agency": c.unit.pk, "delegate": c.head.pk, "starts_on": today.isoformat(), "ends_on": "2020-01-01"},
    )
    assert bad.status_code == 422
    good = leader.post(
        url,
        {
            "agency": c.unit.pk,
            "delegate": c.head.pk,
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert good.status_code == 302
    assert c.head.get_full_name() in leader.get(url).content.decode()


# --- API ----------------------------------------------------------------------------------

API = "/api/v1/documents"


def test_api_register_direct_and_handle(office: Office) -> None:
    c = office.committee
    clerk = _client(c.clerk)
    created = clerk.post(
        f"{API}/entries",
        {
            "register_id": c.incoming.pk,
            "doc_type": "CV",
            "issuer_name": "Bộ Tài chính",
            "subject": "V/v kiểm tra",
            "file": pdf_upload(),
        },
    )
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert created.json()["actions"] == ["submit"]
    submitted = clerk.post(
        f"{API}/entries/{entry_id}/submit",
        json.dumps({"leader_id": c.leader.pk}),
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    leader = _client(c.leader)
    past = leader.post(
        f"{API}/entries/{entry_id}/direct",
        json.dumps({"lead": {"unit_id": c.division.pk}, "due_on": "2020-01-02"}),
        content_type="application/json",
    )
    assert past.status_code == 422 and "due_on" in past.json()["error"]["fields"]
    outside = leader.post(
        f"{API}/entries/{entry_id}/direct",
        json.dumps({"lead": {"unit_id": office.commune.division.pk}}),
        content_type="application/json",
    )
    assert outside.status_code == 422 and "lead" in outside.json()["error"]["fields"]
    forbidden = _client(c.clerk).post(
        f"{API}/entries/{entry_id}/direct",
        json.dumps({"lead": {"unit_id": c.division.pk}}),
        content_type="application/json",
    )
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    directed = leader.post(
        f"{API}/entries/{entry_id}/direct",
        json.dumps({"lead": {"unit_id": c.division.pk}, "due_days": 5}),
        content_type="application/json",
    )
    assert directed.status_code == 201
    lead_id = directed.json()["assignment_ids"][0]
    head = _client(c.head)
    inbox = head.get(f"{API}/inbox?role=lead").json()
    assert [a["id"] for a in inbox["items"]] == [lead_id] and inbox["items"][0]["deadline"] == "on_time"
    note = head.post(f"{API}/assignments/{lead_id}/notes", {"text": "Đang làm", "file": pdf_upload("a.pdf")})
    assert note.status_code == 201 and note.json()["state"] == AssignmentState.IN_PROGRESS
    far = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    forward = head.post(
        f"{API}/assignments/{lead_id}/forward",
        json.dumps({"lead": {"person_id": c.specialist.pk}, "due_on": far}),
        content_type="application/json",
    )
    assert forward.status_code == 422 and "due_on" in forward.json()["error"]["fields"]
    ext = head.post(
        f"{API}/assignments/{lead_id}/extensions",
        json.dumps({"due_on": far, "reason": "Chờ"}),
        content_type="application/json",
    )
    assert ext.status_code == 201
    decided = leader.post(
        f"{API}/extensions/{ext.json()['id']}/decide",
        json.dumps({"grant": True}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "granted"
    done = head.post(
        f"{API}/assignments/{lead_id}/done", json.dumps({"text": "Xong"}), content_type="application/json"
    )
    assert done.status_code == 200
    assert leader.get(f"{API}/entries/{entry_id}").json()["state"] == "done"
    listed = leader.get(f"{API}/entries?state=done").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == entry_id


def test_a_delegate_reads_and_directs_through_the_pages(office: Office, registered: Any) -> None:
    c = office.committee
    entry = registered()
    services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    head = _client(c.head)
    assert head.get(entry.get_absolute_url()).status_code == 404
    today = timezone.localdate()
    services.delegation_create(agency=c.unit, delegate=c.head, starts_on=today, ends_on=today, by=c.leader)
    assert StaffMessage.objects.filter(recipient=c.head, kind="documents.delegation").exists()
    assert c.leader.get_full_name() in head.get(reverse("documents:inbox")).content.decode()
    page = head.get(entry.get_absolute_url())
    assert (
        page.status_code == 200
        and reverse("documents:entry_direct", args=[entry.pk]) in page.content.decode()
    )
    response = head.post(
        reverse("documents:entry_direct", args=[entry.pk]), {"lead": f"p:{c.specialist.pk}", "due_days": 2}
    )
    assert response.status_code == 302
    assert entry.directions.get().on_behalf_of == c.leader


def test_reading_an_entry_and_its_file_is_in_the_access_log(office: Office, registered: Any) -> None:
    from django.test import Client

    from conftest import sign_in
    from egov.documents.models import AccessKind, AccessLog

    entry = registered()
    c = office.committee
    client = Client()
    sign_in(client, c.leader)
    assert client.get(f"/documents/entries/{entry.pk}/").status_code == 200
    stored = entry.document.files.get()
    assert client.get(f"/documents/entries/{entry.pk}/files/{stored.pk}/").status_code == 200
    assert client.get(f"/api/v1/documents/entries/{entry.pk}").status_code == 200
    kinds = list(
        AccessLog.objects.filter(document=entry.document, user=c.leader).values_list("kind", flat=True)
    )
    assert sorted(kinds) == sorted([AccessKind.VIEW, AccessKind.DOWNLOAD, AccessKind.VIEW])
    # Refused readers leave no trace of a read that did not happen.
    outsider = Client()
    sign_in(outsider, office.outsider)
    assert outsider.get(f"/documents/entries/{entry.pk}/").status_code == 404
    assert not AccessLog.objects.filter(user=office.outsider).exists()
