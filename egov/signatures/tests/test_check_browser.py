"""The public check in a real browser at 360 px: a citizen uploads a signed PDF and reads the
verdict; the page fits the screen and passes axe-core's serious and critical rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from egov.signatures.testing import TestPki
from egov.signatures.tests.helpers_valid import signed_by
from tests.browser import axe
from tests.browser import conftest as browser_conftest
from tests.browser.conftest import browser_available

pytestmark = [pytest.mark.browser, browser_available, axe.axe_available]

browser = browser_conftest.browser
page = browser_conftest.page


@pytest.mark.django_db(transaction=True)
def test_a_citizen_checks_a_signed_pdf_at_360_px(
    audit_flushable: None, live_server: Any, page: Any, trusted: TestPki, tmp_path: Path
) -> None:
    path = tmp_path / "ket-qua.pdf"
    # pyHanko runs its own event loop: not in this thread, where Playwright's is running.
    with ThreadPoolExecutor(1) as pool:
        path.write_bytes(pool.submit(signed_by, trusted, "agency").result())
    axe.serve_axe(page)
    response = page.goto(f"{live_server.url}/signatures/check/")
    assert response is not None and response.ok
    found = axe.check(page, "public check")
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.locator("#check-result").wait_for()
    assert page.locator("#check-result .text-bg-success").count() == 1
    assert "Ủy ban nhân dân tỉnh Thử Nghiệm" in page.inner_text("#check-result")
    found += axe.check(page, "public check, result")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not found, "\n".join(found)
    assert not page.console_errors
