from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from egov.dossiers.models import Dossier


def _payload(unit: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "unit_id": unit.pk,
        "procedure_code": "1.001193",
        "applicant_name": "Võ Minh Tuấn",
        "applicant_phone": "0987654321",
        "papers": [{"name": "Tờ khai", "originals": 1}],
        "intake_token": "tok-1",
    }
    data.update(changes)
    return data


def test_receive_through_the_api_is_idempotent(
    client: Client, procedure: Any, province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    first = client.post("/api/v1/dossiers", _payload(province.one_stop_a1), content_type="application/json")
    assert first.status_code == 201
    again = client.post("/api/v1/dossiers", _payload(province.one_stop_a1), content_type="application/json")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
    body = client.get(f"/api/v1/dossiers/{first.json()['id']}").json()
    assert body["national_status"] == 4 and body["current_step"] == "Thẩm định, trình ký"


def test_api_refuses_bad_input_and_other_counters(
    client: Client, procedure: Any, province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    bad = client.post(
        "/api/v1/dossiers",
        _payload(province.one_stop_a1, papers=[], intake_token=None),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "papers" in bad.json()["error"]["fields"]
    other = client.post(
        "/api/v1/dossiers", _payload(province.one_stop_b1, intake_token=None), content_type="application/json"
    )
    assert other.status_code == 403
    assert not Dossier.objects.exists()


def test_api_actions_follow_the_same_rules(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    dossier = receive()
    login_as("officer_a1")
    url = f"/api/v1/dossiers/{dossier.pk}"
    assert client.post(f"{url}/forward", {}, content_type="application/json").status_code == 403
    paused = client.post(
        f"{url}/pause",
        {"kind": "supplement", "reason": "Thiếu", "items": "Giấy chứng sinh"},
        content_type="application/json",
    )
    assert paused.status_code == 200 and paused.json()["national_status"] == 5
    assert (
        client.post(
            f"{url}/pause", {"reason": "x", "items": "y"}, content_type="application/json"
        ).status_code
        == 422
    )
    login_as("officer_b1")
    assert client.get(url).status_code == 404
