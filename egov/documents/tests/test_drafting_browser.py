"""The drafting pages in a real browser: a head of division approves a draft on a 360 px phone,
the clerk sees the number it will get and issues it; nothing is wider than the screen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from egov.documents import services
from egov.documents.models import DraftState
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import draft
from tests.browser.conftest import browser, browser_available, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow, browser_available]

OVERFLOW = (
    "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361"
    " && !e.closest('.table-responsive')).map(e => e.tagName + '.' + e.className).slice(0, 5)"
)


def _signed_in(page: Any, live_server: Any, user: Any) -> None:  # noqa: F811 (a parameter, not the fixture)
    client = Client()
    sign_in(client, user)
    page.context.clear_cookies()
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _fits(page: Any, what: str) -> None:  # noqa: F811 (a parameter, not the fixture)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, (what, page.evaluate(OVERFLOW))


@pytest.mark.django_db(transaction=True)
def test_review_and_issue_on_a_phone(
    audit_flushable: None,
    live_server: Any,
    page: Any,  # noqa: F811
    office: Office,
    tmp_path: Path,
) -> None:
    shots = Path(os.environ.get("EGOV_SCREENSHOT_DIR") or tmp_path)
    c = office.committee
    document = draft(office)
    services.draft_version_add(
        document=document, upload=pdf_upload("du-thao.pdf"), by=c.specialist, comment="v1"
    )
    services.draft_submit_review(document=document, by=c.specialist)

    _signed_in(page, live_server, c.specialist)
    page.goto(f"{live_server.url}/documents/drafts/new/")
    _fits(page, "new draft")
    page.screenshot(path=str(shots / "drafting_360_new.png"), full_page=True)

    _signed_in(page, live_server, c.head)
    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    _fits(page, "document page")
    page.locator("#id_approve-comment").fill("Đồng ý, trình lãnh đạo")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.wait_for_load_state()
    assert "Đồng ý, trình lãnh đạo" in page.content()
    page.screenshot(path=str(shots / "drafting_360_reviewed.png"), full_page=True)

    services.review_approve(document=document, by=c.leader)
    _signed_in(page, live_server, c.clerk)
    page.goto(f"{live_server.url}/documents/{document.pk}/issue/")
    _fits(page, "issue form")
    assert "01/UBND-VP" in page.content()
    page.get_by_role("button", name="Ban hành", exact=True).click()
    page.wait_for_load_state()
    document.refresh_from_db()
    assert document.state == DraftState.ISSUED and document.number == "01"
    _fits(page, "issued document")
    page.screenshot(path=str(shots / "drafting_360_issued.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    page.screenshot(path=str(shots / "drafting_1366_issued.png"), full_page=True)
    assert not page.console_errors  # type: ignore[attr-defined]
