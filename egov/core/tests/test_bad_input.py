"""Ordinary bad input is a 422 in the documented shape, never a server error (issue #12, items 3,
4 and 11): one bad field at a time through the API, NUL and control characters in every kind of
text input, and Unicode that looks the same but is not (NFD, bidi overrides, zero-width)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Province
from egov.dossiers.models import Dossier, DossierPaper

GOOD_PAPER = {"name": "Tờ khai", "originals": 1}


def _receive_payload(unit: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_id": unit.pk,
        "procedure_code": "1.001193",
        "applicant_name": "Võ Minh Tuấn",
        "applicant_phone": "0987654321",
        "papers": [GOOD_PAPER],
    }
    data.update(changes)
    return data


# One bad field each; every one of them is something a counter's own tool or a typo can send.
RECEIVE_CASES: dict[str, dict[str, Any]] = {
    "unknown return_method": {"return_method": "pigeon"},
    "unknown applicant_kind": {"applicant_kind": "alien"},
    "unknown channel": {"channel": "fax"},
    "bad e-mail": {"applicant_email": "not-an-e-mail"},
    "negative fees": {"fees_collected": -1},
    "huge fees": {"fees_collected": 10**20},
    "negative originals": {"papers": [{"name": "Tờ khai", "originals": -1}]},
    "huge originals": {"papers": [{"name": "Tờ khai", "originals": 100_000}]},
    "huge certified copies": {"papers": [{"name": "Tờ khai", "certified_copies": 2**31}]},
    "negative photocopies": {"papers": [{"name": "Tờ khai", "photocopies": -5}]},
    "paper without a name": {"papers": [{"name": "   ", "originals": 1}]},
    "over-long paper name": {"papers": [{"name": "x" * 501, "originals": 1}]},
    "over-long applicant_name": {"applicant_name": "x" * 256},
    "empty applicant_name": {"applicant_name": ""},
    "over-long applicant_id_number": {"applicant_id_number": "1" * 31},
    "over-long applicant_phone": {"applicant_phone": "0" * 21},
    "over-long applicant_address": {"applicant_address": "x" * 501},
    "over-long return_address": {"return_method": "post", "return_address": "x" * 501},
    "over-long intake_token": {"intake_token": "t" * 41},
    "over-long procedure_code": {"procedure_code": "1" * 41},
}
ACTION_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "unknown pause kind": ("pause", {"kind": "holiday", "reason": "Thiếu", "items": "Giấy"}, "kind"),
    "extend to 9999-12-31": (
        "extend",
        {"new_due_at": "9999-12-31T23:59:59+07:00", "reason": "Chậm"},
        "new_due_at",
    ),
    "extend to a non-date": ("extend", {"new_due_at": "ngày mai", "reason": "Chậm"}, "new_due_at"),
    "over-long reason": ("stop", {"reason": "x" * 5001}, "reason"),
}


def _assert_invalid(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "Dữ liệu không hợp lệ."
    assert any(key.split(".")[0] == field for key in error["fields"]), error["fields"]


@pytest.mark.parametrize("case", RECEIVE_CASES)
def test_receive_refuses_one_bad_field_with_422(
    case: str, client: Client, procedure: Any, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    changes = RECEIVE_CASES[case]
    response = client.post(
        "/api/v1/dossiers", _receive_payload(province.one_stop_a1, **changes), content_type="application/json"
    )
    field = "return_address" if "return_address" in changes else next(iter(changes))
    _assert_invalid(response, field)
    if case == "over-long applicant_name":
        assert response.json()["error"]["fields"]["applicant_name"] == ["Tối đa 255 ký tự."]
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()


@pytest.mark.parametrize("case", ACTION_CASES)
def test_actions_refuse_one_bad_field_with_422(
    case: str, client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    dossier = receive()
    login_as("officer_a1")
    action, payload, field = ACTION_CASES[case]
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/{action}", payload, content_type="application/json"
    )
    _assert_invalid(response, field)
    dossier.refresh_from_db()
    assert dossier.state == "processing" and not dossier.extensions.exists()


def test_query_parameters_are_validated_too(
    client: Client, procedure: Any, login_as: Callable[[str], Any]
) -> None:
    _assert_invalid(client.get("/api/v1/procedures", {"level": "planet"}), "level")
    login_as("officer_a1")
    _assert_invalid(client.get("/api/v1/dossiers", {"view": "everything"}), "view")


def test_an_unreadable_body_is_a_422_and_unknown_api_paths_a_json_404(
    client: Client, procedure: Any, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    response = client.post("/api/v1/dossiers", b"{not json", content_type="application/json")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    missing = client.get("/api/v1/units/0.5")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")


# ---------------------------------------------------------------- NUL and control characters


@pytest.mark.parametrize("q", ["\x00", "khai\x00sinh", "\x01\x1b[2J", "%00"])
def test_nul_and_controls_in_searches_are_not_server_errors(
    q: str, client: Client, procedure: Any, receive: Any, login_as: Callable[[str], Any]
) -> None:
    receive()
    assert client.get("/thu-tuc/", {"q": q}).status_code == 200
    assert client.get("/api/v1/procedures", {"q": q}).status_code == 200
    page = client.post("/cong-dan/tra-cuu/", {"code": q, "proof": q})
    assert page.status_code == 422
    api = client.post("/api/v1/public/lookup", {"code": q, "proof": q}, content_type="application/json")
    assert api.status_code == 404
    login_as("officer_a1")
    assert client.get("/dossiers/", {"q": q}).status_code == 200
    assert client.get("/api/v1/dossiers", {"q": q}).status_code == 200


def test_nul_in_a_cookie_is_not_a_server_error(
    client: Client, procedure: Any, login_as: Callable[[str], Any]
) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/thu-tuc/").status_code == 200


def test_nul_in_a_path_is_a_404(client: Client, procedure: Any) -> None:
    assert client.get("/thu-tuc/1.001193\x00/").status_code == 404
    response = client.get("/api/v1/procedures/1.001193\x00")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_nul_in_json_is_dropped_before_the_database(
    client: Client, procedure: Any, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    payload = _receive_payload(
        province.one_stop_a1,
        applicant_name="Võ\x00 Minh\x07 Tuấn",
        papers=[{"name": "Tờ\x00 khai", "originals": 1}],
        intake_token="tok\x00-1",
    )
    response = client.post("/api/v1/dossiers", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Võ Minh Tuấn" and dossier.intake_token == "tok-1"
    assert dossier.papers.get().name == "Tờ khai"


# ---------------------------------------------------------------- Unicode

NFC_NAME = "Nguyễn Thị Hường"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)


def test_clean_text_normalises_and_drops_invisible_characters() -> None:
    from egov.core.text import clean_text

    assert NFD_NAME != NFC_NAME
    assert clean_text(NFD_NAME) == NFC_NAME
    assert clean_text("abc\u202edef\u2066g\u200bh\u200di\ufeffj\u2060k") == "abcdefghijk"
    assert clean_text("dòng 1\r\ndòng 2\tcột") == "dòng 1\r\ndòng 2\tcột"
    assert clean_text("dòng 1\r\ndòng 2", multiline=False) == "dòng 1 dòng 2"
    assert clean_text("a\x00b\x1fc\x7fd\x9fe\ud800") == "abcde"


def test_a_name_typed_decomposed_in_a_form_is_stored_composed_and_found(
    client: Client, procedure: Any, province: Province, login_as: Callable[[str], Any]
) -> None:
    from egov.dossiers.tests.test_views import _intake

    login_as("officer_a1")
    form = _intake(province.one_stop_a1, applicant_name=NFD_NAME, applicant_address="Xã\u200b A1\u202e")
    assert client.post("/dossiers/receive/1.001193/", form).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == NFC_NAME and dossier.applicant_address == "Xã A1"
    client.get("/")  # shows (and so clears) the "received" message, which names the code
    for q in ("Xyz", "Thị Hường", unicodedata.normalize("NFD", "Hường")):
        page = client.get("/dossiers/", {"q": q, "view": "all"}).content.decode()
        assert (dossier.code in page) == (q != "Xyz"), q


def test_a_name_sent_decomposed_to_the_api_is_stored_composed_and_found(
    client: Client, procedure: Any, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    payload = _receive_payload(province.one_stop_a1, applicant_name="\u202e" + NFD_NAME + "\u200b")
    assert client.post("/api/v1/dossiers", payload, content_type="application/json").status_code == 201
    assert Dossier.objects.get().applicant_name == NFC_NAME
    found = client.get("/api/v1/dossiers", {"q": "Hường"}).json()["items"]
    assert [d["applicant_name"] for d in found] == [NFC_NAME]
