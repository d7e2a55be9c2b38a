"""Citizen accounts: sign-up with a code, sign-in with phone or e-mail, reset, rate limits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from egov.accounts.models import User
from egov.audit.models import AuditEntry
from egov.notifications.models import Delivery, Notification
from egov.portal.identity import services
from egov.portal.models import CitizenProfile, VerificationCode

pytestmark = pytest.mark.django_db
STRONG = "mot-mat-khau-rat-dai-2025"


def _last_code(kind: str = "portal.signup_code") -> str:
    body = Notification.objects.filter(kind=kind).latest("created_at", "pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]


def _signup(client: Client, identifier: str = "0912 345 678", **extra: str) -> Any:
    data = {"identifier": identifier, "full_name": "Lê Văn Nam", "password1": STRONG, "password2": STRONG}
    data.update(extra)
    return client.post("/cong-dan/dang-ky/", data)


def test_sign_up_by_phone_sends_a_code_and_the_code_activates_the_account(client: Client) -> None:
    response = _signup(client)
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dang-ky/xac-nhan/"
    user = User.objects.get(username="+84912345678")
    assert user.kind == "citizen" and not user.is_active and user.phone == "+84912345678"
    delivery = Delivery.objects.get(notification__kind="portal.signup_code")
    assert delivery.channel == "sms" and delivery.recipient == "+84912345678"
    assert VerificationCode.objects.get().code_hash not in delivery.notification.body  # only a hash is kept

    page = client.get("/cong-dan/dang-ky/xac-nhan/")
    assert 'value="0912 345 678"' in page.content.decode()  # the identifier is carried over
    response = client.post("/cong-dan/dang-ky/xac-nhan/", {"identifier": "0912345678", "code": _last_code()})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/thong-tin-ca-nhan/"
    user.refresh_from_db()
    assert user.is_active
    assert CitizenProfile.objects.get(user=user).full_name == "Lê Văn Nam"
    assert client.get("/cong-dan/ho-so/").status_code == 200  # signed in
    assert AuditEntry.objects.filter(event="portal.account_verified", target_id=str(user.pk)).exists()


def test_sign_up_by_email_and_sign_in_with_any_spelling_of_the_identifier(client: Client) -> None:
    _signup(client, "Lan.Tran@Example.VN")
    user = User.objects.get(username="lan.tran@example.vn")
    assert Delivery.objects.get().channel == "email"
    services.citizen_verify(identifier="lan.tran@example.vn", code=_last_code())
    client.logout()
    response = client.post("/accounts/login/", {"username": "LAN.TRAN@example.vn", "password": STRONG})
    assert response.status_code == 302
    assert client.get("/cong-dan/ho-so/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_phone_sign_in_accepts_local_spelling(client: Client) -> None:
    _signup(client, "+84 912 345 678")
    services.citizen_verify(identifier="0912345678", code=_last_code())
    client.logout()
    assert (
        client.post("/accounts/login/", {"username": "0912 345 678", "password": STRONG}).status_code == 302
    )
    assert client.get("/cong-dan/ho-so/").status_code == 200


def test_unconfirmed_account_cannot_sign_in(client: Client) -> None:
    _signup(client)
    response = client.post("/accounts/login/", {"username": "0912345678", "password": STRONG})
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session


def test_signing_up_with_a_taken_identifier_reveals_nothing(client: Client, personas: dict[str, Any]) -> None:
    _signup(client, "0987654321")
    services.citizen_verify(identifier="0987654321", code=_last_code())
    client.logout()
    first_users = User.objects.count()
    response = _signup(client, "0987 654 321", full_name="Kẻ Lạ")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dang-ky/xac-nhan/"
    assert User.objects.count() == first_users
    assert User.objects.get(username="+84987654321").full_name == "Lê Văn Nam"  # unchanged
    assert Notification.objects.filter(kind="portal.signup_exists").count() == 1


def test_wrong_codes_are_counted_and_five_of_them_burn_the_code(client: Client) -> None:
    _signup(client)
    good = _last_code()
    wrong = "000000" if good != "000000" else "111111"
    for _i in range(5):
        response = client.post("/cong-dan/dang-ky/xac-nhan/", {"identifier": "0912345678", "code": wrong})
        assert response.status_code == 422
    assert VerificationCode.objects.get().attempts == 5
    response = client.post("/cong-dan/dang-ky/xac-nhan/", {"identifier": "0912345678", "code": good})
    assert response.status_code == 422
    assert not User.objects.get(username="+84912345678").is_active


def test_an_expired_code_does_not_work(client: Client) -> None:
    _signup(client)
    code = _last_code()
    VerificationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.IdentityError):
        services.citizen_verify(identifier="0912345678", code=code)


def test_resending_replaces_the_old_code(client: Client) -> None:
    _signup(client)
    old = _last_code()
    client.post("/cong-dan/dang-ky/gui-lai-ma/", {"identifier": "0912345678"})
    new = _last_code()
    assert VerificationCode.objects.filter(used_at__isnull=True).count() == 1
    if old != new:
        with pytest.raises(services.IdentityError):
            services.citizen_verify(identifier="0912345678", code=old)
    assert services.citizen_verify(identifier="0912345678", code=new).is_active


def test_bad_sign_up_input_is_kept_and_explained(client: Client) -> None:
    response = _signup(client, "12345", password2="something-else")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="12345"' in html and 'value="Lê Văn Nam"' in html
    assert 'href="#id_identifier"' in html and 'href="#id_password2"' in html  # error summary links
    assert User.objects.count() == 0


def test_sign_up_is_rate_limited_per_identifier(client: Client) -> None:
    for _i in range(3):
        assert _signup(client).status_code == 302
    response = _signup(client)
    assert response.status_code == 429
    assert Notification.objects.filter(kind="portal.signup_code").count() == 3


def test_verification_is_rate_limited_per_ip(client: Client, settings: Any) -> None:
    settings.EGOV_PORTAL_RATE_LIMITS = {**settings.EGOV_PORTAL_RATE_LIMITS, "verify": (3, 100, 900)}
    statuses = [
        client.post(
            "/cong-dan/dang-ky/xac-nhan/", {"identifier": f"09123456{i:02d}", "code": "123456"}
        ).status_code
        for i in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


def test_password_reset_by_code(client: Client) -> None:
    _signup(client)
    services.citizen_verify(identifier="0912345678", code=_last_code())
    client.logout()
    response = client.post("/cong-dan/quen-mat-khau/", {"identifier": "0912345678"})
    assert response.status_code == 302
    code = _last_code("portal.reset_code")
    new = "mat-khau-moi-cua-toi-2025"
    response = client.post(
        "/cong-dan/quen-mat-khau/dat-lai/",
        {"identifier": "0912345678", "code": code, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert User.objects.get(username="+84912345678").check_password(new)
    assert client.post("/accounts/login/", {"username": "0912345678", "password": new}).status_code == 302


def test_reset_for_an_unknown_identifier_answers_the_same(client: Client) -> None:
    response = client.post("/cong-dan/quen-mat-khau/", {"identifier": "0900000000"}, follow=True)
    assert response.status_code == 200
    assert Notification.objects.count() == 0
    response = client.post(
        "/cong-dan/quen-mat-khau/dat-lai/",
        {"identifier": "0900000000", "code": "123456", "password1": STRONG, "password2": STRONG},
    )
    assert response.status_code == 422


def test_staff_accounts_cannot_be_reset_through_the_portal(personas: dict[str, Any]) -> None:
    services.password_reset_request(identifier="officer.a1@example.vn")
    assert Notification.objects.count() == 0
