from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import sign_in
from egov.dossiers.models import Dossier, DossierState

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _intake(unit: Any, token: str | None = None, **changes: Any) -> dict[str, Any]:
    data = {
        "unit": unit.pk,
        "intake_token": token or uuid.uuid4().hex,
        "applicant_kind": "citizen",
        "applicant_name": "Trần Thị Cúc",
        "applicant_id_number": "091204567890",
        "applicant_address": "Xã A1",
        "applicant_phone": "0912345678",
        "applicant_email": "",
        "channel": "direct",
        "return_method": "counter",
        "return_address": "",
        "fees_collected": "0",
        "summary": "",
        "p-TOTAL_FORMS": "2",
        "p-INITIAL_FORMS": "2",
        "p-0-received": "on",
        "p-0-name": "Tờ khai đăng ký khai sinh",
        "p-0-originals": "1",
        "p-0-certified_copies": "0",
        "p-0-photocopies": "0",
        "p-1-received": "on",
        "p-1-name": "Giấy chứng sinh",
        "p-1-originals": "1",
        "p-1-certified_copies": "0",
        "p-1-photocopies": "0",
    }
    data.update(changes)
    return data


def test_officer_receives_at_the_counter_and_a_double_submit_saves_once(
    client: Client, procedure: Any, province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    page = client.get("/dossiers/receive/", {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page
    form = _intake(province.one_stop_a1, files=SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"))
    first = client.post("/dossiers/receive/1.001193/", form)
    assert first.status_code == 302
    form["files"] = SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")
    second = client.post("/dossiers/receive/1.001193/", form)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    dossier = Dossier.objects.get()
    assert dossier.files.get().sha256 and dossier.papers.count() == 2


def test_bad_intake_keeps_the_input_and_explains(
    client: Client, procedure: Any, province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    bad = _intake(province.one_stop_a1, applicant_phone="", return_method="post", fees_collected="1.000")
    response = client.post("/dossiers/receive/1.001193/", bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Trần Thị Cúc" in body  # what the officer typed is kept
    assert "địa chỉ" in body.lower()  # the postal address is missing
    assert not Dossier.objects.exists()
    lying = _intake(
        province.one_stop_a1, files=SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 exe", "application/pdf")
    )
    response = client.post("/dossiers/receive/1.001193/", lying)
    assert response.status_code == 422
    assert "PDF" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 403), ("unit_admin_a", 403), ("officer_a1", 200), ("officer_b1", 200)],
)
def test_only_one_stop_officers_open_the_counter(
    client: Client, login_as: Callable[[str], Any], procedure: Any, province: Any, persona: str, status: int
) -> None:
    login_as(persona)
    assert client.get("/dossiers/receive/1.001193/").status_code == status
    # An officer cannot pick another commune's counter: the page falls back to their own.
    if persona == "officer_b1":
        page = client.get("/dossiers/receive/1.001193/", {"unit": province.one_stop_a1.pk}).content.decode()
        assert province.one_stop_b1.name in page and province.one_stop_a1.name not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("officer_b1", 404),
        ("unit_admin_a", 404),
        ("officer_a1", 200),
        ("system_admin", 200),
    ],
)
def test_dossier_page_access(
    client: Client, login_as: Callable[[str], Any], receive: Any, persona: str, status: int
) -> None:
    dossier = receive()
    login_as(persona)
    assert client.get(dossier.get_absolute_url()).status_code == status


def _act(client: Client, url: str, action: str, data: dict[str, Any]) -> Any:
    """Post an action's form: its fields carry the action's prefix."""
    return client.post(f"{url}{action}/", {f"{action}-{k}": v for k, v in data.items()})


def test_walk_a_dossier_through_its_process(
    client: Client, receive: Any, login_as: Callable[[str], Any], commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    sign_in(client, commune_staff["specialist"])
    url = dossier.get_absolute_url()
    # A specialist examines; only the leader's signing step records the decision.
    assert (
        _act(client, url, "decide", {"step_seq": dossier.current_step.seq, "outcome": "approved"}).status_code
        == 403
    )
    seq = dossier.current_step.seq
    assert _act(client, url, "forward", {"step_seq": seq, "note": "Đạt"}).status_code == 302
    # The same click again is harmless.
    assert _act(client, url, "forward", {"step_seq": seq, "note": "Đạt"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step.name == "Ký giấy khai sinh"
    pause = {
        "kind": "supplement",
        "items": "Bản chính giấy chứng sinh",
        "reason": "Bản sao mờ",
        "contact": "Chị Lan",
    }
    assert _act(client, url, "pause", pause).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUPPLEMENT
    assert _act(client, url, "resume", {"note": "Đã nhận"}).status_code == 302
    sign_in(client, commune_staff["agency_leader"])
    decide = {
        "step_seq": dossier.current_step.seq,
        "outcome": "approved",
        "reason": "",
        "result_file": SimpleUploadedFile("giay-khai-sinh.pdf", PDF, "application/pdf"),
    }
    assert _act(client, url, "decide", decide).status_code == 302
    login_as("officer_a1")
    assert _act(client, url, "return", {"received_by": "Trần Thị Cúc", "tracking": ""}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and dossier.files.filter(kind="result").exists()


def test_refusal_needs_a_reason_and_forbidden_actions_change_nothing(
    client: Client, receive: Any, login_as: Callable[[str], Any], commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    sign_in(client, commune_staff["specialist"])
    url = dossier.get_absolute_url()
    assert _act(client, url, "forward", {"step_seq": dossier.current_step.seq}).status_code == 302
    dossier.refresh_from_db()
    sign_in(client, commune_staff["agency_leader"])
    response = _act(
        client, url, "decide", {"step_seq": dossier.current_step.seq, "outcome": "refused", "reason": ""}
    )
    assert response.status_code == 422
    assert "lý do" in response.content.decode().lower()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.PROCESSING
    assert _act(client, url, "return", {"received_by": "X"}).status_code == 403
    login_as("officer_a1")
    assert _act(client, url, "forward", {"step_seq": dossier.current_step.seq}).status_code == 403
    assert client.post(f"{url}nonsense/", {}).status_code == 404
    login_as("officer_b1")
    assert client.post(f"{url}withdraw/", {"withdraw-reason": "x"}).status_code == 404


def test_receipt_form_01_is_a_vietnamese_pdf_stored_with_its_hash(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    from pypdf import PdfReader

    from egov.dossiers.pdf import render_form_html

    dossier = receive()
    login_as("officer_a1")
    response = client.get(f"{dossier.get_absolute_url()}form-01.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert "TIẾP NHẬN HỒ SƠ" in text.upper()
    assert dossier.code in text and "Nguyễn Văn Bình" in text
    stored = dossier.files.get(kind="form", form_no="01")
    # The officer got the stored file; its hash covers those bytes, and the content key (the hash
    # of the HTML: WeasyPrint stamps a creation date into every rendering) finds it again.
    with stored.file.open("rb") as fh:
        assert fh.read() == body
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    assert stored.content_key == hashlib.sha256(render_form_html(dossier, "01").encode()).hexdigest()
    client.get(f"{dossier.get_absolute_url()}form-01.pdf")
    assert dossier.files.filter(kind="form", form_no="01").count() == 1
    assert client.get(f"{dossier.get_absolute_url()}form-05.pdf").status_code == 404
    login_as("officer_b1")
    assert client.get(f"{dossier.get_absolute_url()}form-01.pdf").status_code == 404


def test_register_lists_what_the_counter_received(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    from django.utils import timezone

    dossier = receive()
    login_as("officer_a1")
    today = timezone.localdate().strftime("%d/%m/%Y")
    page = client.get("/dossiers/register/", {"start": today, "end": today})
    assert page.status_code == 200 and dossier.code in page.content.decode()
    pdf = client.get("/dossiers/register/", {"start": today, "end": today, "format": "pdf"})
    assert pdf.content[:4] == b"%PDF"
    assert client.get("/dossiers/register/", {"start": today, "end": "01/01/2000"}).status_code == 422
    login_as("unit_admin_a")
    assert client.get("/dossiers/register/").status_code == 403
