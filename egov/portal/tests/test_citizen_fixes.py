"""Issue #13, citizen side: portal sign-in errors and lockout, ID numbers, phone display,
optional papers, the office picker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.accounts.models import AccountKind
from egov.accounts.services import user_create

pytestmark = pytest.mark.django_db
STRONG = "mot-mat-khau-rat-dai-2025"
SIGNIN = "/cong-dan/dang-nhap/"


def _citizen() -> Any:
    return user_create(
        username="+84912345678", full_name="Lê Văn Nam", password=STRONG, kind=AccountKind.CITIZEN, by=None
    )


def test_a_wrong_password_stays_on_the_portal_page_with_a_vietnamese_message(client: Client) -> None:
    _citizen()
    response = client.post(
        SIGNIN, {"username": "0912 345 678", "password": "sai-mat-khau", "next": "/cong-dan/ho-so/"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 422
    assert response.templates[0].name == "portal/signin.html"
    body = response.content.decode()
    assert "Số điện thoại hoặc thư điện tử, hoặc mật khẩu, không đúng" in body
    assert "Please enter a correct" not in body and 'value="0912 345 678"' in body


def test_the_right_password_signs_the_citizen_in_and_goes_on(client: Client) -> None:
    _citizen()
    response = client.post(SIGNIN, {"username": "0912.345.678", "password": STRONG, "next": "/cong-dan/ho-so/"})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/"
    assert client.get("/cong-dan/ho-so/").status_code == 200


def test_a_staff_account_is_not_signed_in_through_the_portal(client: Client, personas: dict[str, Any]) -> None:
    staff = personas["officer_a1"]
    staff.set_password(STRONG)
    staff.save()
    response = client.post(SIGNIN, {"username": staff.username, "password": STRONG})
    assert response.status_code == 422 and "_auth_user_id" not in client.session


def test_a_locked_out_citizen_sees_the_portal_lockout_page(client: Client, settings: Any) -> None:
    _citizen()
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(SIGNIN, {"username": "0912345678", "password": "sai-mat-khau"}).status_code
        for _i in range(limit)
    ]
    assert statuses == [422] * (limit - 1) + [429]
    locked = client.post(SIGNIN, {"username": "+84 912 345 678", "password": STRONG}, HTTP_ACCEPT_LANGUAGE="vi")
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert [t.name for t in locked.templates][0] == "portal/locked_out.html"
    assert "Nhập sai mật khẩu quá nhiều lần" in locked.content.decode()
