"""The officer's side of issue #13: deciding on online submissions, the inbox and its tabs, and a
dossier page whose forms say what they do and show their errors where the eye is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import APPLICANT, PAPERS, Province, sign_in
from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierState
from egov.dossiers.pdf import forms_available
from egov.notifications.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def online(procedure: Any, province: Province, personas: dict[str, Any]) -> Dossier:
    return services.dossier_register_online(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="counter",
        applicant_user=personas["citizen"],
    )


def _act(client: Client, dossier: Dossier, action: str, data: dict[str, Any]) -> Any:
    return client.post(f"/dossiers/{dossier.pk}/{action}/", {f"{action}-{k}": v for k, v in data.items()})


def _said(client: Client, dossier: Dossier, action: str, data: dict[str, Any]) -> list[str]:
    """The messages the dossier page shows after the action (exactly one per action)."""
    response = client.post(
        f"/dossiers/{dossier.pk}/{action}/", {f"{action}-{k}": v for k, v in data.items()}, follow=True
    )
    assert response.redirect_chain, response.content.decode()[:3000]
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- online submissions


def test_an_officer_refuses_an_online_submission_with_form_03(
    client: Client, online: Dossier, login_as: Callable[[str], Any], personas: dict[str, Any]
) -> None:
    login_as("officer_a1")
    page = client.get(online.get_absolute_url()).content.decode()
    assert f'action="/dossiers/{online.pk}/refuse/"' in page
    assert _act(client, online, "refuse", {"reason": ""}).status_code == 422
    assert _said(client, online, "refuse", {"reason": "Thủ tục không thuộc thẩm quyền của xã"}) == [
        f"Đã từ chối tiếp nhận hồ sơ {online.code}, đã báo cho người nộp. Hãy in mẫu 03."
    ]
    online.refresh_from_db()
    assert online.state == DossierState.REFUSED and online.outcome_reason.startswith("Thủ tục")
    assert forms_available(online) == ["03"]
    assert client.get(f"{online.get_absolute_url()}form-03.pdf").status_code == 200
    assert Notification.objects.filter(kind="dossier.refused", related_id=str(online.pk)).exists()
    # The applicant sees the refusal and its reason in the portal timeline.
    sign_in(client, personas["citizen"])
    portal = client.get(f"/cong-dan/ho-so/{online.pk}/").content.decode()
    assert "bị từ chối tiếp nhận" in portal and "không thuộc thẩm quyền" in portal


def test_papers_asked_for_before_acceptance_do_not_touch_the_clock(
    client: Client, online: Dossier, login_as: Callable[[str], Any], personas: dict[str, Any]
) -> None:
    login_as("officer_a1")
    asked = {"items": "Bản chính giấy chứng sinh", "reason": "Bản chụp mờ"}
    assert _said(client, online, "request_papers", asked) == [
        f"Đã yêu cầu bổ sung hồ sơ {online.code}, đã báo cho người nộp."
    ]
    online.refresh_from_db()
    assert online.state == DossierState.SUPPLEMENT and online.due_at is None
    assert Notification.objects.filter(kind="dossier.supplement", related_id=str(online.pk)).exists()
    # The citizen supplements through the portal as for any supplement.
    sign_in(client, personas["citizen"])
    sent = client.post(
        f"/cong-dan/ho-so/{online.pk}/bo-sung/",
        {"files": SimpleUploadedFile("giay-chung-sinh.pdf", PDF, "application/pdf"), "note": ""},
        follow=True,
    )
    assert sent.redirect_chain, sent.content.decode()[:2000]
    assert online.events.filter(kind="supplement_submitted").exists()
    login_as("officer_a1")
    assert online.code in client.get("/dossiers/").content.decode()  # back in the officer's inbox
    assert _said(client, online, "resume", {"note": "Đã đủ"}) == [
        f"Đã nhận giấy tờ bổ sung của hồ sơ {online.code}; hồ sơ chờ tiếp nhận."
    ]
    online.refresh_from_db()
    assert online.state == DossierState.REGISTERED and online.due_at is None
    # Accepted afterwards, the legal time counts from acceptance, the early request ignored.
    accepted = _said(client, online, "accept", {})
    online.refresh_from_db()
    assert online.state == DossierState.PROCESSING
    assert accepted == [
        f"Đã tiếp nhận hồ sơ {online.code}; hạn giải quyết: "
        f"{timezone.localtime(online.due_at):%d/%m/%Y %H:%M}."
    ]
    services.dossier_pause(
        dossier=online, kind="supplement", reason="Thiếu", items="Giấy", by=personas["officer_a1"]
    )
    services.dossier_resume(dossier=online, by=personas["officer_a1"])
    online.refresh_from_db()
    assert online.due_at is not None and online.due_at >= online.statutory_due_at


# ---------------------------------------------------------------- inbox and tabs


def test_the_inbox_holds_online_submissions_at_my_counter_and_tabs_count_in_one_query(
    client: Client, online: Dossier, receive: Any, login_as: Callable[[str], Any]
) -> None:
    received = receive()
    login_as("officer_a1")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/dossiers/").content.decode()
    assert online.code in page  # the default view is the inbox
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # One aggregate for all tab counts, one for the paginator.
    assert len(counting) == 2, counting
    assert '>Nộp trực tuyến <span class="badge rounded-pill text-bg-secondary">1</span>' in page
    assert '>Tất cả <span class="badge rounded-pill text-bg-secondary">2</span>' in page
    assert received.code not in page  # its step is the specialist's
    login_as("officer_b1")
    assert online.code not in client.get("/dossiers/").content.decode()


# ---------------------------------------------------------------- the dossier page


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "label" and a.get("for"):
            self.fors.append(a["for"] or "")
        self.fors.extend((a.get("aria-describedby") or "").split())


def _check_ids(html: str) -> None:
    parser = _Ids()
    parser.feed(html)
    duplicates = {i for i in parser.ids if parser.ids.count(i) > 1}
    assert not duplicates, duplicates
    # Every label and every aria-describedby points at an element of the page.
    assert set(parser.fors) <= set(parser.ids), set(parser.fors) - set(parser.ids)


def test_every_id_on_the_dossier_page_is_unique_and_labels_point_at_fields(
    client: Client,
    online: Dossier,
    receive: Any,
    procedure: Any,
    login_as: Callable[[str], Any],
    commune_staff: dict[str, Any],
) -> None:
    login_as("officer_a1")
    _check_ids(client.get(online.get_absolute_url()).content.decode())  # accept, ask, refuse
    _check_ids(client.get("/dossiers/receive/1.001193/").content.decode())  # intake and refusal
    dossier = receive()
    sign_in(client, commune_staff["agency_leader"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert page.count("<form") >= 6  # forward, assign, pause, extend, stop, withdraw
    _check_ids(page)
    bad = _act(client, dossier, "extend", {"new_due_at": "", "reason": ""})
    _check_ids(bad.content.decode())


def test_a_failed_action_is_summarised_at_the_top_with_its_section_open(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    dossier = receive()
    login_as("officer_a1")
    response = _act(client, dossier, "extend", {"new_due_at": "", "reason": "Chờ xác minh"})
    assert response.status_code == 422
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    assert summary < html.index("<dl")  # above the dossier's details
    assert 'href="#id_extend-new_due_at"' in html[summary:]
    assert '<details class="mb-3" open><summary>Gia hạn' in html
    assert '<details class="mb-3"><summary>Dừng' in html  # the others stay closed
    assert "Chờ xác minh</textarea>" in html  # what the officer typed stays


def test_the_forward_box_names_the_next_step_and_hides_the_step_number(
    client: Client, receive: Any, commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    sign_in(client, commune_staff["specialist"])
    html = client.get(dossier.get_absolute_url()).content.decode()
    assert "Step seq" not in html and "Step_seq" not in html
    assert 'type="hidden" name="forward-step_seq"' in html
    assert "Chuyển đến bước: <strong>Ký giấy khai sinh</strong> (" in html
    assert _said(client, dossier, "forward", {"step_seq": dossier.current_step.seq, "note": ""}) == [
        f"Đã chuyển hồ sơ {dossier.code} đến bước “Ký giấy khai sinh”."
    ]


def test_each_action_says_what_happened(client: Client, receive: Any, login_as: Callable[[str], Any]) -> None:
    dossier = receive()
    login_as("officer_a1")
    pause = {"kind": "supplement", "items": "Giấy chứng sinh", "reason": "Mờ", "contact": ""}
    assert _said(client, dossier, "pause", pause) == [
        f"Đã yêu cầu bổ sung hồ sơ {dossier.code}, đã báo cho người nộp."
    ]
    assert len(_said(client, dossier, "resume", {"note": ""})) == 1
    later = timezone.localtime(timezone.now() + dt.timedelta(days=40)).replace(
        hour=16, minute=30, second=0, microsecond=0
    )
    # As the browser's date picker sends it.
    extended = _said(
        client, dossier, "extend", {"new_due_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Chờ"}
    )
    assert extended == [f"Đã gia hạn hồ sơ {dossier.code} đến {later:%d/%m/%Y} 16:30, đã báo cho người nộp."]
    dossier.refresh_from_db()
    assert dossier.due_at == later
    assert _said(client, dossier, "withdraw", {"reason": "Xin rút"}) == [
        f"Đã ghi nhận việc rút hồ sơ {dossier.code}."
    ]


def test_date_fields_are_pickers_and_still_take_vietnamese_dates(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    dossier = receive()
    login_as("officer_a1")
    assert (
        'type="datetime-local" name="extend-new_due_at"'
        in client.get(dossier.get_absolute_url()).content.decode()
    )
    register = client.get("/dossiers/register/").content.decode()
    assert register.count('type="date"') == 2
    for start, end in (("2026-01-01", "2026-01-31"), ("01/01/2026", "31/01/2026")):
        assert client.get(f"/dossiers/register/?start={start}&end={end}").status_code == 200


def test_the_intake_form_summarises_its_errors_and_keeps_the_input(
    client: Client, province: Province, procedure: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    response = client.post(
        "/dossiers/receive/1.001193/",
        {
            "unit": province.one_stop_a1.pk,
            "intake_token": "t" * 32,
            "applicant_kind": "citizen",
            "applicant_name": "Trần Thị Cúc",
            "applicant_phone": "",
            "applicant_email": "",
            "channel": "direct",
            "return_method": "counter",
            "fees_collected": "0",
            "p-TOTAL_FORMS": "0",
            "p-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    summary = html.index('id="error-summary"')
    assert (
        summary < html.index('enctype="multipart/form-data"')
        and 'href="#id_applicant_phone"' in html[summary:]
    )
    assert 'value="Trần Thị Cúc"' in html


def test_only_the_receiving_counter_refuses_or_asks_before_acceptance(
    online: Dossier, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    for by in (None, personas["officer_b1"], personas["citizen"], commune_staff["specialist"]):
        with pytest.raises(services.ActionForbidden):
            services.dossier_refuse_online(dossier=online, reason="x", by=by)
        with pytest.raises(services.ActionForbidden):
            services.dossier_request_papers(dossier=online, items="x", reason="x", by=by)
    online.refresh_from_db()
    assert online.state == DossierState.REGISTERED and online.events.count() == 1


def test_a_refusal_at_the_counter_without_a_reason_is_summarised(
    client: Client, province: Province, procedure: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    response = client.post(
        "/dossiers/receive/1.001193/refuse/",
        {"unit": province.one_stop_a1.pk, "refuse-applicant_name": "Trần Thị Cúc", "refuse-reason": ""},
    )
    html = response.content.decode()
    assert response.status_code == 422 and 'href="#id_refuse-reason"' in html
    assert 'value="Trần Thị Cúc"' in html
