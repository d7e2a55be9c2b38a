"""The officer's dossier page in a browser: refusing an online submission, and a failed action
shown at the top with its section open. Screenshots at 360 and 1366 px are kept as artefacts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import browser_available
from tests.browser.test_one_stop_flow import _login

pytestmark = [pytest.mark.browser, browser_available]
ARTIFACTS = Path(os.environ.get("EGOV_TEST_ARTIFACTS", "var/test-artifacts"))


def _shots(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(ARTIFACTS / f"officer-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})


@pytest.mark.django_db(transaction=True)
def test_an_officer_refuses_an_online_submission_and_sees_a_failed_action_at_the_top(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    procedure: Any,
    province: Any,
    receive: Any,
) -> None:
    from conftest import APPLICANT, PAPERS
    from egov.dossiers import services
    from egov.dossiers.models import Dossier, DossierState

    base = live_server.url
    online = services.dossier_register_online(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="counter",
        applicant_user=personas["citizen"],
    )
    _login(page, base, personas["officer_a1"])
    page.goto(f"{base}/dossiers/")  # the inbox holds the submission waiting at this counter
    _shots(page, "0-inbox")
    page.click(f"text={online.code}")
    _shots(page, "1-online")
    page.locator("summary").filter(has_text="03").click()
    page.fill("#id_refuse-reason", "Thủ tục không thuộc thẩm quyền của xã")
    page.click("form[action$='/refuse/'] button[type=submit]")
    assert Dossier.objects.get(pk=online.pk).state == DossierState.REFUSED
    assert f"Đã từ chối tiếp nhận hồ sơ {online.code}" in page.inner_text("main")
    assert page.locator("a[href$='form-03.pdf']").count() == 1
    _shots(page, "2-refused")

    dossier = receive()
    page.goto(f"{base}{dossier.get_absolute_url()}")
    page.locator("summary").filter(has_text="04").click()
    page.fill("#id_extend-reason", "Chờ xác minh")
    page.click("form[action$='/extend/'] button[type=submit]")
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Chờ" not in summary.inner_text()
    assert summary.bounding_box()["y"] < page.locator("h2").first.bounding_box()["y"]
    assert page.locator("#id_extend-new_due_at").is_visible()  # its section stayed open
    assert page.input_value("#id_extend-reason") == "Chờ xác minh"
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_extend-new_due_at"
    _shots(page, "3-error")
    assert page.console_errors == []  # type: ignore[attr-defined]
