"""A citizen signs up, applies online from a phone, the officer accepts in the back office,
a supplement round happens online, the result is downloaded and rated; the public look-up; and
a validation error that keeps what the citizen typed. Screenshots at 360 px and desktop width."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import browser_available
from tests.browser.test_one_stop_flow import _login as _staff_login

pytestmark = [pytest.mark.browser, browser_available]
ARTIFACTS = Path(os.environ.get("EGOV_TEST_ARTIFACTS", "var/test-artifacts"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
PASSWORD = "mot-mat-khau-rat-dai-2025"


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}-{width}.png"), full_page=True)


def _both_widths(page: Any, name: str) -> None:
    """The same page on a 360 px phone and on a desktop screen."""
    _shot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, name)
    page.set_viewport_size({"width": 360, "height": 740})


def _file(name: str, content: bytes = PDF) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def _next(page: Any) -> None:
    page.click("main button[name=go][value=next]")


def _citizen_login(page: Any, base: str, identifier: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/cong-dan/dang-nhap/")
    page.fill("#id_username", identifier)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def _no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True)
def test_sign_up_apply_accept_supplement_result_rating(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    procedure: Any,
    commune_staff: dict[str, Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.dossiers import services
    from egov.dossiers.models import Dossier, DossierState, FileKind
    from egov.notifications.models import Notification
    from egov.portal.models import Rating

    base = live_server.url
    page.goto(f"{base}/thu-tuc/1.001193/")
    _both_widths(page, "01-procedure")
    page.click("#apply-online a")
    page.click("main a[href*='/cong-dan/dang-ky/']")

    # Sign up with a phone number; the code arrives by SMS (here: read from the notification).
    page.fill("#id_identifier", "0912 345 678")
    page.fill("#id_full_name", "Lê Thị Hoa")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _shot(page, "02-signup")
    page.click("main button[type=submit]")
    assert page.input_value("#id_identifier") == "0912 345 678"
    body = Notification.objects.get(kind="portal.signup_code").body
    page.fill("#id_code", re.search(r"\b\d{6}\b", body).group(0))  # type: ignore[union-attr]
    _shot(page, "03-verify")
    page.click("main form button[type=submit]")

    # Back on the application, prefilled from the new account.
    assert "/applicant/" in page.url
    assert page.input_value("#id_name") == "Lê Thị Hoa"
    page.fill("#id_address", "Thôn 2, xã A1")
    page.fill("#id_id_number", "001190001234")
    _shot(page, "04-applicant")
    _next(page)
    assert "/papers/" in page.url
    for index, box in enumerate(page.locator("input[type=file]").all()):
        box.set_input_files(_file(f"giay-{index + 1}.pdf"))
    _shot(page, "05-papers")
    _next(page)
    assert "/delivery/" in page.url
    page.select_option("#id_unit", label="Bộ phận Một cửa xã A1")
    page.check("#id_return_method_0")  # online
    _next(page)
    assert "/review/" in page.url
    page.check("#id_declaration")
    _both_widths(page, "06-review")
    _no_horizontal_scroll(page)
    page.click("#submit-dossier")
    dossier = Dossier.objects.get()
    assert dossier.state == DossierState.REGISTERED and dossier.code in page.content()
    _both_widths(page, "07-submitted")

    # The one-stop officer accepts it in the back office: the clock starts.
    _staff_login(page, base, personas["officer_a1"])
    page.goto(f"{base}/dossiers/?view=registered")
    page.click(f"text={dossier.code}")
    page.click("form[action$='/accept/'] button[type=submit]")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING and dossier.due_at is not None
    page.locator("summary").filter(has_text="02").click()
    page.fill("#id_pause_items", "Bản chính giấy chứng sinh")
    page.fill("#id_pause_reason", "Bản chụp bị mờ")
    page.click("form[action$='/pause/'] button[type=submit]")
    assert Dossier.objects.get().state == DossierState.SUPPLEMENT

    # The citizen sees exactly what is missing and sends it online.
    _citizen_login(page, base, "0912345678")
    page.goto(f"{base}/cong-dan/ho-so/")
    page.click(f"text={dossier.code}")
    assert "Bản chính giấy chứng sinh" in page.inner_text("#supplement-items")
    page.set_input_files("#id_files", _file("ban-chinh.pdf"))
    _both_widths(page, "08-supplement")
    page.click("form[action$='/bo-sung/'] button[type=submit]")
    assert dossier.files.filter(kind=FileKind.SUPPLEMENT, name="ban-chinh.pdf").exists()

    # The officer checks the papers and resumes the clock; the agency decides.
    _staff_login(page, base, personas["officer_a1"])
    page.goto(f"{base}{dossier.get_absolute_url()}")
    assert "ban-chinh.pdf" in page.content()
    page.click("form[action$='/resume/'] button[type=submit]")
    assert Dossier.objects.get().state == DossierState.PROCESSING
    dossier = services.step_forward(dossier=dossier, by=commune_staff["specialist"])
    services.dossier_decide(
        dossier=dossier,
        outcome="approved",
        reason="",
        by=commune_staff["agency_leader"],
        result_file=SimpleUploadedFile("giay-khai-sinh.pdf", PDF, "application/pdf"),
    )

    # The citizen downloads the result and rates the service.
    _citizen_login(page, base, "+84 912 345 678")
    page.goto(f"{base}/cong-dan/ho-so/{dossier.pk}/")
    link = page.locator("a[href*='/ket-qua/']")
    download = page.request.get(base + link.get_attribute("href"))
    assert download.ok and download.body()[:4] == b"%PDF"
    page.check("#id_score_0")
    page.fill("#id_comment", "Cán bộ hướng dẫn tận tình")
    page.click("form[action$='/danh-gia/'] button[type=submit]")
    assert page.locator("#my-rating").is_visible()
    assert Rating.objects.get().score == "very_satisfied"
    _both_widths(page, "09-result-rated")
    page.goto(f"{base}/cong-dan/ho-so/")
    _both_widths(page, "10-my-dossiers")
    page.goto(f"{base}/cong-dan/cong-khai/")
    _both_widths(page, "11-transparency")
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_public_lookup_without_an_account(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    personas: dict[str, Any],
    procedure: Any,
    province: Any,
) -> None:
    from conftest import APPLICANT, PAPERS
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
    page.goto(f"{base}/cong-dan/")
    _both_widths(page, "20-home")
    page.click("main a[href='/cong-dan/tra-cuu/']")
    page.fill("#id_code", dossier.code)
    page.fill("#id_proof", "0987 654 321")  # not the applicant's phone
    page.click("main button[type=submit]")
    wrong = page.inner_text("#error-summary")
    assert page.input_value("#id_code") == dossier.code
    _shot(page, "21-lookup-refused")
    page.fill("#id_code", "000.11.00.T01-990101-9999")
    page.fill("#id_proof", "0912345678")
    page.click("main button[type=submit]")
    assert page.inner_text("#error-summary") == wrong  # the same answer as for a wrong phone
    page.fill("#id_code", dossier.code)
    page.fill("#id_proof", dossier.lookup_secret)
    page.click("main button[type=submit]")
    assert page.locator("#lookup-result").is_visible()
    assert APPLICANT.name not in page.content()
    _both_widths(page, "22-lookup-found")
    _no_horizontal_scroll(page)
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_validation_error_keeps_what_the_citizen_typed(
    audit_flushable: None, live_server: Any, page: Any, personas: dict[str, Any], procedure: Any
) -> None:
    from conftest import PASSWORD as PERSONA_PASSWORD
    from egov.portal.models import DraftFile

    base = live_server.url
    _citizen_login(page, base, "citizen", PERSONA_PASSWORD)
    page.goto(f"{base}/cong-dan/nop/1.001193/")
    page.fill("#id_name", "Phạm Văn Đức")
    page.fill("#id_id_number", "12?")
    page.fill("#id_address", "Số 7, ngõ 3")
    page.fill("#id_phone", "")
    page.fill("#id_email", "")
    page.fill("#id_summary", "Khai sinh cho con thứ hai")
    _next(page)
    assert page.locator("#error-summary").is_visible()
    assert page.input_value("#id_name") == "Phạm Văn Đức"
    assert page.input_value("#id_id_number") == "12?"
    assert page.input_value("#id_summary") == "Khai sinh cho con thứ hai"
    assert page.get_attribute("#id_id_number", "aria-invalid") == "true"
    _both_widths(page, "30-applicant-errors")
    page.click("#error-summary a[href='#id_id_number']")
    page.goto(page.url)  # opened afresh (as on another device): the draft kept it on the server
    assert page.input_value("#id_address") == "Số 7, ngõ 3"
    # Typing is saved in the background (htmx) before any button is pressed.
    page.fill("#id_address", "Số 9, ngõ 3")
    page.locator("#autosave:not(:empty)").wait_for()  # "Draft saved at …"
    page.goto(page.url)
    assert page.input_value("#id_address") == "Số 9, ngõ 3"

    page.fill("#id_id_number", "001190004321")
    page.fill("#id_phone", "0912345678")
    _next(page)
    boxes = page.locator("input[type=file]").all()
    boxes[0].set_input_files(_file("to-khai.pdf"))
    boxes[1].set_input_files(_file("giay-chung-sinh.pdf", EXE))  # a program renamed .pdf
    _next(page)
    assert "giay-chung-sinh.pdf" in page.inner_text("#error-summary")
    assert list(DraftFile.objects.values_list("name", flat=True)) == ["to-khai.pdf"]
    assert "to-khai.pdf" in page.content()
    _both_widths(page, "31-papers-errors")
    assert page.console_errors == []
