"""Issue #13 in a real browser: the header at 360 px and 1366 px, the focus ring, error pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from egov.accounts import services as accounts
from egov.accounts.models import Role
from tests.browser.conftest import browser_available

pytestmark = [pytest.mark.browser, browser_available]

PAGES = [
    "/",
    "/reports/dashboard/",
    "/catalog/p/1.001193/edit/",
    "/audit/",
    "/audit/sign-in-failures/",
    "/nope/",
]


def _shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("EGOV_SCREENSHOT_DIR") or tmp_path)


def _signed_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    sign_in(client, user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_header_collapses_on_a_phone_and_fits_at_1366(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    province: Any,
    procedure: Any,
    tmp_path: Path,
) -> None:
    admin = personas["system_admin"]
    accounts.role_grant(user=admin, unit=province.province, role=Role.CATALOGUE_OFFICER, by=None)
    _signed_in(page, live_server, admin)
    shots = _shots(tmp_path)

    # A 360 px phone: the menu folds behind a button, the header is one short bar.
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(shots / f"360{path.replace('/', '_')}.png"))
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361"
            " && !e.closest('.table-responsive')).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right).slice(0, 5)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (path, wide)
        if path != "/nope/":
            header = page.locator("header.egov-header").bounding_box()
            assert header["height"] <= 0.15 * 740, (path, header)
    assert "Không tìm thấy trang" in page.content()
    page.goto(f"{live_server.url}/")
    assert not page.locator("#egov-nav").get_by_role("link", name="Hồ sơ", exact=True).is_visible()
    page.get_by_role("button", name="Trình đơn").click()
    page.locator("#egov-nav").get_by_role("link", name="Hồ sơ", exact=True).wait_for(state="visible")
    page.screenshot(path=str(shots / "360_menu_open.png"))

    # A 1366 px laptop: the whole menu on one line, the language picker shows its full name.
    page.set_viewport_size({"width": 1366, "height": 768})
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(shots / f"1366{path.replace('/', '_')}.png"))
        if path != "/nope/":
            picker = page.locator("#lang-select").bounding_box()
            assert picker["width"] >= 110 and picker["x"] + picker["width"] <= 1366, (path, picker)
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
            assert page.locator("header.egov-header").bounding_box()["height"] <= 120, path

    # WCAG 2.4.7: the keyboard focus on the dark-red header is a solid 3 px yellow outline.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.closest('header') !== null, s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert style == [True, "solid", "3px", "rgb(255, 212, 59)"], style
    page.screenshot(path=str(shots / "1366_focus.png"), clip={"x": 0, "y": 0, "width": 700, "height": 120})
    # The only console errors allowed are the two intended 404 answers for /nope/.
    assert [e for e in page.console_errors if "status of 404" not in e] == []
