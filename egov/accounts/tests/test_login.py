from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from egov.accounts import services
from egov.audit.models import AuditEntry, AuditEvent


def _password_step(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # the wrong code below would otherwise throttle the right one
def test_staff_without_device_must_enrol_before_anything_else(
    client: Client, personas: dict[str, Any]
) -> None:
    response = _password_step(client, "officer.a1")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert client.get("/units/")["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/")["Location"] == "/accounts/2fa/setup/"
    assert client.get("/api/v1/me").json()["error"]["code"] == "second_factor_required"
    # The password alone shows no QR code: enrolment needs the unit administrator's one-time code.
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and b"<svg" not in page.content
    code = services.otp_enrolment_code_issue(user=personas["officer_a1"], by=personas["unit_admin_a"])
    assert client.post("/accounts/2fa/setup/", {"code": code})["Location"] == "/accounts/2fa/setup/"
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=personas["officer_a1"], confirmed=False)

    wrong = client.post(
        "/accounts/2fa/setup/", {"token": "000000" if _current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 422
    assert "Mã không đúng" in wrong.content.decode()

    done = client.post("/accounts/2fa/setup/", {"token": _current_code(device)})
    assert done.status_code == 302
    assert client.get("/units/").status_code == 200
    assert AuditEntry.objects.filter(
        event=AuditEvent.OTP_ENROLLED, target_id=str(personas["officer_a1"].pk)
    ).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN, after__second_factor="totp").exists()


def test_enrolled_staff_enter_their_code(client: Client, personas: dict[str, Any]) -> None:
    user = personas["officer_a1"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _password_step(client, "officer.a1")
    assert client.post("/accounts/2fa/", {"token": "12"}).status_code == 422
    assert client.get("/").status_code == 302
    assert client.post("/accounts/2fa/", {"token": _current_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_citizens_need_no_second_factor(client: Client, personas: dict[str, Any]) -> None:
    _password_step(client, "citizen")
    assert client.get("/", follow=True).status_code == 200
    assert client.get("/cong-dan/ho-so/").status_code == 200


@override_settings(DEMO_RELAX_2FA=True)
def test_demo_switch_waives_totp_for_demo_accounts_only(client: Client, personas: dict[str, Any]) -> None:
    services.user_create(username="demo.user", full_name="Demo", password=PASSWORD, is_demo=True, by=None)
    _password_step(client, "demo.user")
    assert client.get("/").status_code == 200
    other = Client()
    _password_step(other, "officer.a1")
    assert other.get("/")["Location"] == "/accounts/2fa/"


def test_wrong_password_shows_vietnamese_error_and_keeps_username(
    client: Client, personas: dict[str, Any]
) -> None:
    response = _password_step(client, "officer.a1", "wrong-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="officer.a1"' in body
    assert "mật khẩu chính xác" in body


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client: Client, personas: dict[str, Any]) -> None:
    for _ in range(5):
        _password_step(client, "officer.a1", "wrong-password")
    locked = _password_step(client, "officer.a1")
    assert locked.status_code == 429
    assert "Tạm khóa" in locked.content.decode() or "tạm khóa" in locked.content.decode()


def test_login_page_is_vietnamese_by_default(client: Client, db: None) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
