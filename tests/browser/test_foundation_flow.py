"""A real headless Chromium walks the foundation as a system administrator would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from tests.browser.conftest import browser_available

pytestmark = [pytest.mark.browser, browser_available]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db(transaction=True)
def test_admin_signs_in_with_totp_sees_tree_and_adds_staff(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    province: Any,
    tmp_path: Path,
) -> None:
    admin = personas["system_admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    page.goto(f"{live_server.url}/units/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill("sysadmin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã 6 chữ số", exact=False).fill(_code(device))
    page.get_by_role("button", name="Xác nhận").click()

    page.goto(f"{live_server.url}/units/")
    assert page.get_by_role("heading", name="Cơ cấu tổ chức").is_visible()
    page.get_by_text("Huyện A").first.click()  # opens the district's <details>
    page.get_by_role("link", name="Xã A1").click()
    assert page.get_by_role("heading", name="Xã A1").is_visible()
    page.screenshot(path=str(tmp_path / "unit.png"), full_page=True)

    page.goto(f"{live_server.url}/accounts/staff/new/{province.one_stop_a1.pk}/")
    page.get_by_label("Tên đăng nhập").fill("sai dinh dang")
    page.get_by_label("Họ và tên").fill("Trần Văn Cường")
    page.get_by_label("Mật khẩu ban đầu").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Tạo").click()
    assert page.get_by_label("Họ và tên").input_value() == "Trần Văn Cường"
    assert page.locator("[aria-invalid=true]").count() >= 1
    page.get_by_label("Tên đăng nhập").fill("tran.cuong")
    page.get_by_role("button", name="Tạo").click()
    assert page.get_by_role("heading", name="Trần Văn Cường").is_visible()
    page.screenshot(path=str(tmp_path / "staff.png"), full_page=True)
    assert page.console_errors == []
    # Nothing is wider than a 360 px phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
