"""The work-file pages (issue #14) in a real browser at 360 px and 1366 px: no sideways scroll
outside tables, no console error, and no serious or critical axe-core violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from egov.documents import services
from egov.documents.tests import conftest as documents_fixtures
from egov.documents.tests.conftest import Office
from tests.browser import axe
from tests.browser.conftest import browser_available

pytestmark = [pytest.mark.browser, browser_available, axe.axe_available]
# The document tests' office (registers, people) and their "registered" helper, under their names.
office = documents_fixtures.office
registered = documents_fixtures.registered


def _signed_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    sign_in(client, user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_work_file_pages_on_a_phone_and_a_laptop(
    audit_flushable: None, live_server: Any, page: Any, office: Office, registered: Any, tmp_path: Path
) -> None:
    c = office.committee
    work_file = services.work_file_open(
        unit=c.unit,
        notation="01.TH",
        title="Hồ sơ triển khai chuyển đổi số năm nay",
        retention="10",
        by=c.clerk,
    )
    document = registered(subject="V/v kiểm kê tài sản công năm nay").document
    services.work_file_add_document(work_file=work_file, document=document, by=c.clerk)
    _signed_in(page, live_server, c.leader)
    axe.serve_axe(page)
    shots = Path(os.environ.get("EGOV_SCREENSHOT_DIR") or tmp_path)
    paths = [
        "/documents/work-files/?view=all",
        f"/documents/work-files/plan/?unit={c.unit.pk}",
        "/documents/work-files/open/",
        f"/documents/work-files/{work_file.pk}/?q=kiểm kê",
        f"/documents/{document.pk}/work-file/",
    ]
    found: list[str] = []
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        for n, path in enumerate(paths):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            page.screenshot(path=str(shots / f"workfiles-{width}-{n}.png"), full_page=True)
            overflow = page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                " > document.documentElement.clientWidth + 1 && !e.closest('.table-responsive')).length"
            )
            assert overflow == 0, (width, path)
            found.extend(axe.check(page, f"{width} {path}"))
    # A refused form comes back with its summary and the input kept.
    page.goto(f"{live_server.url}/documents/work-files/open/")
    page.fill("#id_title", "Tiêu đề giữ lại")
    page.click("form[novalidate] button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    assert page.input_value("#id_title") == "Tiêu đề giữ lại"
    found.extend(axe.check(page, "open refused"))
    assert not found, "\n".join(found)
    assert not page.console_errors
