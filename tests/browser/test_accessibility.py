"""Issue #13: every page of the citizen journey (at 360 px) and the officer's main pages (at
1366 px) pass axe-core's WCAG 2.1 A/AA rules with no serious or critical violation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from tests.browser import axe
from tests.browser.conftest import browser_available
from tests.browser.test_one_stop_flow import _login as _staff_login

pytestmark = [pytest.mark.browser, browser_available, axe.axe_available]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "mot-mat-khau-rat-dai-2025"


def _visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)


def _report(found: list[str]) -> str:
    return f"{len(found)} serious/critical accessibility violations:\n" + "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_citizen_journey_at_360_px(
    audit_flushable: None, live_server: Any, page: Any, personas: dict[str, Any], procedure: Any
) -> None:
    from egov.dossiers import services
    from egov.dossiers.models import Dossier, PauseKind
    from egov.notifications.models import Notification

    base = live_server.url
    axe.serve_axe(page)
    found: list[str] = []

    def check(name: str) -> None:
        found.extend(axe.check(page, name))

    _visit(page, f"{base}/cong-dan/")
    check("portal home")
    page.get_by_role("button", name="Trình đơn").click()
    page.locator("#egov-nav.show").wait_for()
    check("portal home, menu open")
    _visit(page, f"{base}/thu-tuc/?q=khai+sinh")
    check("procedure search")
    _visit(page, f"{base}/thu-tuc/1.001193/")
    check("procedure page")
    _visit(page, f"{base}/cong-dan/dang-nhap/")
    page.fill("#id_username", "0900000000")
    page.fill("#id_password", "sai-mat-khau-roi")
    page.click("main button[type=submit]")
    check("sign-in with an error")
    _visit(page, f"{base}/cong-dan/tra-cuu/")
    page.fill("#id_code", "000.11.00.T01-990101-9999")
    page.fill("#id_proof", "0912345678")
    page.click("main button[type=submit]")
    check("look-up with an error")
    _visit(page, f"{base}/cong-dan/cong-khai/")
    check("transparency")

    _visit(page, f"{base}/cong-dan/dang-ky/?next=/cong-dan/nop/1.001193/")
    check("sign-up")
    page.fill("#id_password1", "123")
    page.click("main button[type=submit]")
    check("sign-up with errors")
    page.fill("#id_identifier", "0912 345 678")
    page.fill("#id_full_name", "Lê Thị Hoa")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    check("verify")
    body = Notification.objects.get(kind="portal.signup_code").body
    page.fill("#id_code", re.search(r"\b\d{6}\b", body).group(0))  # type: ignore[union-attr]
    page.click("main form button[type=submit]")
    if "/applicant/" not in page.url:
        _visit(page, f"{base}/cong-dan/nop/1.001193/")
    assert "/applicant/" in page.url, page.url
    page.fill("#id_id_number", "12?")
    page.click("main button[name=go][value=next]")
    check("apply: applicant, with an error")
    page.fill("#id_address", "Thôn 2, xã A1")
    page.fill("#id_id_number", "001190001234")
    page.click("main button[name=go][value=next]")
    assert "/papers/" in page.url, page.url
    check("apply: papers")
    for index, box in enumerate(page.locator("input[type=file]").all()):
        box.set_input_files({"name": f"giay-{index + 1}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("main button[name=go][value=next]")
    assert "/delivery/" in page.url, page.url
    check("apply: delivery")
    page.select_option("#id_unit", label="Bộ phận Một cửa xã A1")
    page.check("#id_return_method_0")
    page.click("main button[name=go][value=next]")
    assert "/review/" in page.url, page.url
    check("apply: review")
    page.check("#id_declaration")
    page.click("#submit-dossier")
    dossier = Dossier.objects.get()
    check("apply: submitted")
    _visit(page, f"{base}/cong-dan/ho-so/")
    check("my dossiers")
    _visit(page, f"{base}/cong-dan/ho-so/{dossier.pk}/")
    check("a dossier")
    officer = personas["officer_a1"]
    services.dossier_accept(dossier=dossier, by=officer)
    services.dossier_pause(
        dossier=dossier,
        kind=PauseKind.SUPPLEMENT,
        reason="Bản chụp bị mờ",
        items="Giấy chứng sinh",
        by=officer,
    )
    _visit(page, f"{base}/cong-dan/ho-so/{dossier.pk}/")
    check("a dossier awaiting a supplement")
    _visit(page, f"{base}/cong-dan/phan-anh/moi/")
    check("feedback form")
    page.click("main form button[type=submit]")
    check("feedback form with errors")
    assert found == [], _report(found)


@pytest.mark.django_db(transaction=True)
def test_officer_pages_at_1366_px(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    province: Any,
    procedure: Any,
) -> None:
    from conftest import APPLICANT, PAPERS
    from egov.accounts import services as accounts
    from egov.accounts.models import Role
    from egov.dossiers.services import dossier_register_online

    dossier = dossier_register_online(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="online",
        applicant_user=personas["citizen"],
    )
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    axe.serve_axe(page)
    found: list[str] = []

    def check(name: str) -> None:
        found.extend(axe.check(page, name))

    _visit(page, f"{base}/accounts/login/")
    check("staff sign-in")
    page.fill("#id_username", personas["officer_a1"].username)
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    check("staff sign-in with an error")
    _staff_login(page, base, personas["officer_a1"])
    page.context.clear_cookies()
    _visit(page, f"{base}/accounts/login/")
    from conftest import PASSWORD as PERSONA_PASSWORD

    page.fill("#id_username", personas["officer_a1"].username)
    page.fill("#id_password", PERSONA_PASSWORD)
    page.click("main button[type=submit]")
    assert "/2fa/" in page.url, page.url
    check("2FA")
    page.fill("#id_token", "000000")
    page.click("main button[type=submit]")
    check("2FA with an error")
    _staff_login(page, base, personas["officer_a1"])
    _visit(page, f"{base}/")
    check("home")
    _visit(page, f"{base}/dossiers/")
    check("dossier list")
    _visit(page, f"{base}/dossiers/receive/?q=dang+ky+khai+sinh")
    check("intake pick")
    _visit(page, f"{base}/dossiers/receive/1.001193/")
    check("intake form")
    page.click("main form[enctype] > button[type=submit]")
    check("intake form with errors")

    def dossier_page(name: str) -> None:
        _visit(page, f"{base}{dossier.get_absolute_url()}")
        # The action forms fold under their headings; axe skips what is hidden.
        page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
        check(name)

    dossier_page("a registered dossier with its action forms")
    page.click("form[action$='/accept/'] button[type=submit]")
    dossier_page("a dossier in processing with its action forms")

    admin = personas["system_admin"]
    accounts.role_grant(user=admin, unit=province.province, role=Role.CATALOGUE_OFFICER, by=None)
    client = Client()
    sign_in(client, admin)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    _visit(page, f"{base}/reports/ii06a/")
    check("report II.06a")
    _visit(page, f"{base}/reports/dashboard/")
    check("dashboard")
    _visit(page, f"{base}/catalog/")
    check("catalogue list")
    _visit(page, f"{base}/catalog/p/1.001193/edit/")
    check("catalogue editor")
    _visit(page, f"{base}/audit/")
    check("audit log")
    assert found == [], _report(found)
