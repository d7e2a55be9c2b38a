"""Following a dossier: my dossiers, the timeline, acceptance in the back office, supplements
online, results, public look-up — and that nobody sees someone else's dossier."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from egov.dossiers import services
from egov.dossiers.models import DossierEvent, DossierState, FileKind
from egov.portal.selectors import CITIZEN_LABELS
from egov.portal.tests.conftest import disguised, pdf

pytestmark = pytest.mark.django_db


def _accept(client: Client, personas: dict[str, Any], dossier: Any) -> Any:
    sign_in(client, personas["officer_a1"])
    return client.post(f"/dossiers/{dossier.pk}/accept/")


def _to_result(dossier: Any, people: dict[str, Any], officer: Any) -> Any:
    services.dossier_accept(dossier=dossier, by=officer)
    services.step_forward(dossier=dossier, by=people["specialist"])
    return services.dossier_decide(
        dossier=dossier,
        outcome="approved",
        reason="",
        by=people["agency_leader"],
        result_file=pdf("giay-khai-sinh.pdf"),
    )


def test_the_officer_accepts_an_online_dossier_and_the_clock_starts(
    client: Client, personas: dict[str, Any], online_dossier: Any
) -> None:
    dossier = online_dossier()
    sign_in(client, personas["officer_a1"])
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f'action="/dossiers/{dossier.pk}/accept/"' in page
    scan = dossier.files.get()
    download = client.get(f"/dossiers/{dossier.pk}/files/{scan.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    response = client.post(f"/dossiers/{dossier.pk}/accept/")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING and dossier.due_at is not None
    assert client.post(f"/dossiers/{dossier.pk}/accept/").status_code == 422  # already accepted


@pytest.mark.parametrize(("persona", "status"), [("officer_b1", 404), ("citizen", 404), ("anonymous", 302)])
def test_only_officers_of_the_receiving_unit_accept(
    client: Client, login_as: Any, personas: dict[str, Any], online_dossier: Any, persona: str, status: int
) -> None:
    dossier = online_dossier()
    login_as(persona)
    assert client.post(f"/dossiers/{dossier.pk}/accept/").status_code == status
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REGISTERED


def test_a_specialist_of_the_commune_cannot_accept(
    client: Client, commune_staff: dict[str, Any], online_dossier: Any
) -> None:
    dossier = online_dossier()
    sign_in(client, commune_staff["specialist"])
    assert client.post(f"/dossiers/{dossier.pk}/accept/").status_code == 403


def test_my_dossiers_show_status_due_date_and_a_plain_timeline(
    client: Client, login_as: Any, personas: dict[str, Any], online_dossier: Any
) -> None:
    dossier = online_dossier()
    services.dossier_accept(dossier=dossier, by=personas["officer_a1"])
    dossier.refresh_from_db()
    login_as("citizen")
    html = client.get("/cong-dan/ho-so/").content.decode()
    assert dossier.code in html and dossier.due_at.strftime("%d/%m/%Y") in html
    html = client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert "Ông/Bà đã nộp hồ sơ trực tuyến" in html
    assert "Thẩm định, trình ký" in html  # the step it is at now
    assert "Officer.A1" not in html  # who did what inside the agency stays internal


def test_a_citizen_never_sees_another_citizens_dossier(
    client: Client, other_citizen: Any, personas: dict[str, Any], online_dossier: Any, commune_staff: Any
) -> None:
    dossier = _to_result(online_dossier(), commune_staff, personas["officer_a1"])
    result = dossier.files.get(kind=FileKind.RESULT)
    sign_in(client, other_citizen)
    assert dossier.code not in client.get("/cong-dan/ho-so/").content.decode()
    assert client.get(f"/cong-dan/ho-so/{dossier.pk}/").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{result.pk}/").status_code == 404
    assert client.post(f"/cong-dan/ho-so/{dossier.pk}/danh-gia/", {"score": "satisfied"}).status_code == 404
    assert client.post(f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", {"files": pdf()}).status_code == 404
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404


def test_supplement_online_round(
    client: Client, login_as: Any, personas: dict[str, Any], online_dossier: Any
) -> None:
    dossier = online_dossier()
    officer = personas["officer_a1"]
    services.dossier_accept(dossier=dossier, by=officer)
    services.dossier_pause(
        dossier=dossier,
        kind="supplement",
        reason="Bản sao không rõ",
        items="Bản chính giấy chứng sinh",
        by=officer,
    )
    login_as("citizen")
    page = client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert "Bản chính giấy chứng sinh" in page and "Bản sao không rõ" in page

    response = client.post(f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", {"files": [pdf("ok.pdf"), disguised()]})
    assert response.status_code == 422 and "giay-chung-sinh.pdf" in response.content.decode()
    assert not dossier.files.filter(kind=FileKind.SUPPLEMENT).exists()  # nothing half-stored

    response = client.post(
        f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", {"files": [pdf("ban-chinh.pdf")], "note": "Gửi bản chính"}
    )
    assert response.status_code == 302
    supplement = dossier.files.get(kind=FileKind.SUPPLEMENT)
    assert supplement.uploaded_by == personas["citizen"] and supplement.name == "ban-chinh.pdf"
    event = DossierEvent.objects.get(dossier=dossier, kind="supplement_submitted")
    assert event.text == "Gửi bản chính" and event.data["files"] == ["ban-chinh.pdf"]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUPPLEMENT  # the officer resumes the clock

    sign_in(client, officer)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "ban-chinh.pdf" in page and "supplement_submitted" not in page
    assert client.post(f"/dossiers/{dossier.pk}/resume/", {"note": "Đủ"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING


def test_no_supplement_upload_when_none_is_asked(client: Client, login_as: Any, online_dossier: Any) -> None:
    dossier = online_dossier()
    login_as("citizen")
    response = client.post(f"/cong-dan/ho-so/{dossier.pk}/bo-sung/", {"files": [pdf()]})
    assert response.status_code == 302 and not dossier.files.filter(kind=FileKind.SUPPLEMENT).exists()


def test_online_result_is_downloaded_by_the_applicant(
    client: Client, login_as: Any, personas: dict[str, Any], online_dossier: Any, commune_staff: Any
) -> None:
    dossier = _to_result(online_dossier(), commune_staff, personas["officer_a1"])
    result = dossier.files.get(kind=FileKind.RESULT)
    login_as("citizen")
    page = client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{result.pk}/" in page
    response = client.get(f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{result.pk}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    scan = dossier.files.get(kind=FileKind.SCAN)
    assert client.get(f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{scan.pk}/").status_code == 404


def test_a_result_returned_at_the_counter_is_not_downloadable_and_post_shows_tracking(
    client: Client, login_as: Any, personas: dict[str, Any], online_dossier: Any, commune_staff: Any
) -> None:
    counter = _to_result(online_dossier(return_method="counter"), commune_staff, personas["officer_a1"])
    result = counter.files.get(kind=FileKind.RESULT)
    posted = _to_result(
        online_dossier(return_method="post", return_address="Thôn 1, Xã A1"),
        commune_staff,
        personas["officer_a1"],
    )
    services.dossier_return(
        dossier=posted, by=personas["officer_a1"], received_by="", tracking="EB123456789VN"
    )
    login_as("citizen")
    assert client.get(f"/cong-dan/ho-so/{counter.pk}/ket-qua/{result.pk}/").status_code == 404
    assert "EB123456789VN" in client.get(f"/cong-dan/ho-so/{posted.pk}/").content.decode()


# ---------------------------------------------------------------- public look-up


def _lookup(client: Client, code: str, proof: str) -> Any:
    return client.post("/cong-dan/tra-cuu/", {"code": code, "proof": proof})


def test_lookup_by_code_and_secret_or_phone_without_an_account(client: Client, online_dossier: Any) -> None:
    dossier = online_dossier()
    for proof in (dossier.lookup_secret, dossier.lookup_secret.lower(), "0912345678", "+84 912 345 678"):
        response = _lookup(client, dossier.code.lower(), proof)
        assert response.status_code == 200, proof
        html = response.content.decode()
        assert 'id="lookup-result"' in html and dossier.procedure_version.name in html
        assert "Trần Thị Mai" not in html  # no personal data on the public page
    assert response["Cache-Control"] == "no-store"


def test_wrong_phone_and_unknown_code_answer_exactly_the_same(client: Client, online_dossier: Any) -> None:
    dossier = online_dossier()
    wrong_phone = _lookup(client, dossier.code, "0987654321")
    unknown = _lookup(client, "000.99.00.T01-250101-0001", "0912345678")
    empty_secret = _lookup(client, dossier.code, "00000000")
    assert wrong_phone.status_code == unknown.status_code == empty_secret.status_code == 422

    def main(response: Any) -> str:
        html = response.content.decode()
        return (
            html[html.index("<main") : html.index("</main>")]
            .replace(dossier.code, "X")
            .replace("000.99.00.T01-250101-0001", "X")
        )

    strip = __import__("re").compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"')
    assert (
        strip.sub("", main(wrong_phone)) == strip.sub("", main(unknown)) == strip.sub("", main(empty_secret))
    )
    assert 'id="lookup-result"' not in main(wrong_phone)


def test_lookup_is_rate_limited(client: Client, online_dossier: Any) -> None:
    dossier = online_dossier()
    statuses = [_lookup(client, dossier.code, f"09000000{i:02d}").status_code for i in range(10)]
    assert statuses == [422] * 10
    response = _lookup(client, dossier.code, dossier.lookup_secret)
    assert response.status_code == 429  # even the right answer waits now
    assert 'id="lookup-result"' not in response.content.decode()


# ---------------------------------------------------------------- the same look-up as JSON


def _api_lookup(client: Client, code: str, proof: str) -> Any:
    return client.post(
        "/api/v1/public/lookup", {"code": code, "proof": proof}, content_type="application/json"
    )


def test_json_lookup_answers_what_the_page_shows_without_an_account(
    client: Client, online_dossier: Any
) -> None:
    dossier = online_dossier()
    response = _api_lookup(client, f" {dossier.code.lower()} ", "+84 912 345 678")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code and body["procedure"] == dossier.procedure_version.name
    assert body["state"] == "registered" and body["state_label"] == str(dossier.get_state_display())
    assert body["timeline"] and body["timeline"][0]["label"]
    assert "Trần Thị Mai" not in response.content.decode()  # no personal data
    wrong = _api_lookup(client, dossier.code, "0987654321")
    unknown = _api_lookup(client, "000.99.00.T01-250101-0001", "0912345678")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "not_found"
    invalid = client.post("/api/v1/public/lookup", {"code": dossier.code}, content_type="application/json")
    assert invalid.status_code == 422 and "proof" in invalid.json()["error"]["fields"]


def test_json_lookup_shares_the_pages_rate_limit(client: Client, online_dossier: Any) -> None:
    dossier = online_dossier()
    statuses = [_lookup(client, dossier.code, f"09000000{i:02d}").status_code for i in range(10)]
    assert statuses == [422] * 10
    response = _api_lookup(client, dossier.code, dossier.lookup_secret)
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"


def test_lookup_shows_times_as_stored_and_a_refusal_with_its_reason_but_no_internal_steps(
    client: Client, online_dossier: Any, commune_staff: dict[str, Any], personas: dict[str, Any]
) -> None:
    dossier = online_dossier()
    services.dossier_accept(dossier=dossier, by=personas["officer_a1"])
    services.step_forward(dossier=dossier, by=commune_staff["specialist"])
    services.dossier_decide(
        dossier=dossier,
        outcome="refused",
        reason="Thiếu giấy chứng sinh bản chính",
        by=commune_staff["agency_leader"],
    )
    dossier.refresh_from_db()
    body = _api_lookup(client, dossier.code, dossier.lookup_secret).json()
    assert body["state"] == "resolved"

    def ms(value: dt.datetime) -> dt.datetime:  # JSON carries milliseconds
        return value.replace(microsecond=value.microsecond // 1000 * 1000)

    assert dt.datetime.fromisoformat(body["received_at"]) == ms(dossier.received_at)
    assert dt.datetime.fromisoformat(body["due_at"]) == ms(dossier.due_at)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk"))
    shown = [e for e in events if e.kind in CITIZEN_LABELS]
    assert len(body["timeline"]) == len(shown) < len(events)  # internal steps stay in the back office
    assert [dt.datetime.fromisoformat(e["at"]) for e in body["timeline"]] == [ms(e.at) for e in shown]
    last = body["timeline"][-1]
    assert last["label"] == "Đã có kết quả: từ chối giải quyết"
    assert last["text"] == "Thiếu giấy chứng sinh bản chính"
    page = _lookup(client, dossier.code, dossier.lookup_secret).content.decode()
    assert "Thiếu giấy chứng sinh bản chính" in page and dossier.procedure_version.name in page
    assert timezone.localtime(dossier.received_at).strftime("%d/%m/%Y %H:%M") in page
