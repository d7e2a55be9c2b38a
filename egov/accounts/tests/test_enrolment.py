"""Issue #12: enrolling an authenticator app needs a one-time code from the unit administrator."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, sign_in
from egov.accounts import services
from egov.accounts.models import EnrolmentCode
from egov.audit.models import AuditEntry

SETUP = "/accounts/2fa/setup/"


def _password_step(client: Client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong(code: str) -> str:
    return "ABCD-EFGH-JKLM" if code != "ABCD-EFGH-JKLM" else "MLKJ-HGFE-DCBA"


def test_the_password_alone_cannot_attach_a_phone(client: Client, personas: dict[str, Any]) -> None:
    _password_step(client, "officer.a1")
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" not in body and "Mã kích hoạt" in body
    assert not TOTPDevice.objects.filter(user=personas["officer_a1"]).exists()
    # Posting an app code straight away gets nowhere either.
    assert client.post(SETUP, {"token": "123456"}).status_code == 422
    assert not TOTPDevice.objects.filter(user=personas["officer_a1"]).exists()


def test_a_pending_device_from_before_codes_existed_is_never_shown(
    client: Client, personas: dict[str, Any]
) -> None:
    TOTPDevice.objects.create(user=personas["officer_a1"], name="TOTP", confirmed=False)
    _password_step(client, "officer.a1")
    assert b"<svg" not in client.get(SETUP).content


def test_the_unit_administrator_issues_a_code_shown_once_and_audited(
    client: Client, personas: dict[str, Any]
) -> None:
    officer, admin = personas["officer_a1"], personas["unit_admin_a"]
    sign_in(client, admin)
    detail = client.get(f"/accounts/staff/{officer.pk}/").content.decode()
    assert "Cấp mã kích hoạt" in detail
    response = client.post(f"/accounts/staff/{officer.pk}/enrolment-code/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert code in response.content.decode()
    record = EnrolmentCode.objects.get(user=officer)
    assert code not in record.code_hash and code.replace("-", "") not in record.code_hash  # only a hash kept
    assert record.issued_by == admin
    entry = AuditEntry.objects.get(event="auth.otp_enrolment_code_issued", target_id=str(officer.pk))
    assert entry.actor_id == admin.pk and code not in str(entry.after)

    # Issuing again replaces the first code.
    client.post(f"/accounts/staff/{officer.pk}/enrolment-code/")
    officer_client = Client()
    _password_step(officer_client, "officer.a1")
    assert officer_client.post(SETUP, {"code": code}).status_code == 422


@pytest.mark.parametrize(
    ("issuer", "person", "status"),
    [
        ("unit_admin_a", "unit_admin_a", 403),  # not for oneself
        ("unit_admin_a", "officer_b1", 404),  # another district's staff
        ("unit_admin_a", "citizen", 404),
        ("officer_a1", "officer_a1", 404),  # not an administrator
        ("system_admin", "officer_b1", 200),
    ],
)
def test_who_may_issue_an_enrolment_code(
    client: Client, personas: dict[str, Any], issuer: str, person: str, status: int
) -> None:
    sign_in(client, personas[issuer])
    response = client.post(f"/accounts/staff/{personas[person].pk}/enrolment-code/")
    assert response.status_code == status
    assert EnrolmentCode.objects.exists() is (status == 200)


def test_a_unit_administrator_cannot_issue_for_a_system_administrator_in_their_unit(
    client: Client, personas: dict[str, Any], province: Any
) -> None:
    from egov.accounts.models import Role

    sysadmin = personas["system_admin"]
    services.role_grant(user=sysadmin, unit=province.district_a, role=Role.SPECIALIST, by=None)
    sign_in(client, personas["unit_admin_a"])
    assert client.get(f"/accounts/staff/{sysadmin.pk}/").status_code == 200
    assert client.post(f"/accounts/staff/{sysadmin.pk}/enrolment-code/").status_code == 403


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_code_works_once(client: Client, personas: dict[str, Any]) -> None:
    officer = personas["officer_a1"]
    code = services.otp_enrolment_code_issue(user=officer, by=personas["unit_admin_a"])
    _password_step(client, "officer.a1")
    assert client.post(SETUP, {"code": code.lower().replace("-", " ")})["Location"] == SETUP
    assert AuditEntry.objects.filter(event="auth.otp_enrolment_code_used", target_id=str(officer.pk)).exists()

    # Someone else with the password, in another session, cannot reuse it nor see this QR code.
    other = Client()
    _password_step(other, "officer.a1")
    assert b"<svg" not in other.get(SETUP).content
    assert other.post(SETUP, {"code": code}).status_code == 422

    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.post(SETUP, {"token": _current_code(device)}).status_code == 302
    assert client.get("/units/").status_code == 200


def test_wrong_codes_burn_the_code_and_count_toward_the_lockout(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 10
    code = services.otp_enrolment_code_issue(user=personas["officer_a1"], by=personas["unit_admin_a"])
    _password_step(client, "officer.a1")
    statuses = [client.post(SETUP, {"code": _wrong(code)}).status_code for _i in range(5)]
    assert statuses == [422] * 5
    assert AccessAttempt.objects.get(username="officer.a1").failures_since_start == 5
    # Five wrong tries and the right code no longer works: the administrator must issue a new one.
    assert client.post(SETUP, {"code": code}).status_code == 422
    assert not TOTPDevice.objects.filter(user=personas["officer_a1"]).exists()


def test_wrong_codes_lock_the_account_like_wrong_passwords(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    code = services.otp_enrolment_code_issue(user=personas["officer_a1"], by=personas["unit_admin_a"])
    _password_step(client, "officer.a1")
    statuses = [client.post(SETUP, {"code": _wrong(code)}).status_code for _i in range(3)]
    assert statuses == [422, 422, 429]
    assert client.post(SETUP, {"code": code}).status_code == 429  # locked: not even the right code
    assert not TOTPDevice.objects.filter(user=personas["officer_a1"]).exists()


def test_an_expired_code_does_not_work(client: Client, personas: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    code = services.otp_enrolment_code_issue(user=personas["officer_a1"], by=personas["unit_admin_a"])
    EnrolmentCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _password_step(client, "officer.a1")
    assert client.post(SETUP, {"code": code}).status_code == 422


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_lost_phone_is_replaced_with_a_new_code(client: Client, personas: dict[str, Any]) -> None:
    officer = personas["officer_a1"]
    lost = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    _password_step(client, "officer.a1")
    verify_page = client.get("/accounts/2fa/").content.decode()
    assert 'href="/accounts/2fa/setup/"' in verify_page
    code = services.otp_enrolment_code_issue(user=officer, by=personas["unit_admin_a"])
    assert client.post(SETUP, {"code": code})["Location"] == SETUP
    new = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.post(SETUP, {"token": _current_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()


def test_the_command_line_issues_a_code_for_the_first_administrator(
    personas: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("otp_enrolment_code", "sysadmin")
    out = capsys.readouterr().out
    assert "sysadmin" in out and EnrolmentCode.objects.filter(user=personas["system_admin"]).count() == 1
    entry = AuditEntry.objects.get(event="auth.otp_enrolment_code_issued")
    assert entry.actor_id is None and entry.target_id == str(personas["system_admin"].pk)


def test_citizens_get_no_enrolment_codes(personas: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.otp_enrolment_code_issue(user=personas["citizen"], by=personas["system_admin"])
