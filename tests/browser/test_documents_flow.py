"""The document journey in a browser, as its users walk it: the clerk registers a paper document
and puts it before the chairman; the chairman gives the direction on a phone-sized screen; the
specialist records progress and drafts the answer; the head of the office and the chairman
approve it; the clerk issues it; it arrives in the Department of Health's queue, and the
specialist reports the work done. Screenshots at 360 and 1366 px are kept as artefacts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from egov.documents.tests.conftest import MINIMAL_PDF, office, registered  # noqa: F401 - fixtures
from tests.browser.conftest import browser_available
from tests.browser.test_one_stop_flow import _login

pytestmark = [pytest.mark.browser, browser_available]
ARTIFACTS = Path(os.environ.get("EGOV_TEST_ARTIFACTS", "var/test-artifacts"))


def _shots(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(ARTIFACTS / f"documents-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})


def _pdf(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(MINIMAL_PDF)
    return str(path)


def _submit(page: Any, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_incoming_to_answer_issued_and_received(
    audit_flushable: None,
    live_server: Any,
    page: Any,
    office: Any,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    from egov.documents.models import Document, DraftState, Entry, EntryState

    base = live_server.url
    c, dept = office.committee, office.department

    # 1. The clerk registers a paper document with its scan and submits it to the chairman.
    _login(page, base, c.clerk)
    page.goto(f"{base}/documents/incoming/register/")
    page.fill("#id_number", "1234")
    page.fill("#id_notation", "BNV-CCVC")
    page.fill("#id_issuer_name", "Bộ Nội vụ")
    page.fill("#id_subject", "V/v triển khai chuyển đổi số năm 2027")
    page.set_input_files("#id_main_file", _pdf(tmp_path, "cong-van-1234.pdf"))
    _shots(page, "1-register")
    _submit(page, "main form[method=post]")
    entry = Entry.objects.get()
    assert entry.arrival_number == 1
    assert "1234/BNV-CCVC" in page.inner_text("main")
    page.click(f"a[href$='/entries/{entry.pk}/submit/']")
    page.select_option("#id_leader", str(c.leader.pk))
    _submit(page, "main form[method=post]")
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED

    # 2. The chairman, on a phone, directs: the specialist leads, within 5 working days.
    _login(page, base, c.leader)
    page.goto(f"{base}/documents/direct/")
    _shots(page, "2-leader-queue")
    page.click(f"a[href$='/entries/{entry.pk}/']")
    page.click(f"a[href$='/entries/{entry.pk}/direct/']")
    page.fill("#id_text", "Giao chuyên viên Văn phòng tham mưu trả lời")
    page.select_option("#id_lead", label=c.specialist.get_full_name())
    page.fill("#id_due_days", "5")
    _shots(page, "3-direction")
    _submit(page, "main form[method=post]")
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PROGRESS and entry.due_at is not None

    # 3. The specialist finds it in the inbox, records progress and drafts the answer.
    _login(page, base, c.specialist)
    page.goto(f"{base}/documents/inbox/")
    _shots(page, "4-inbox")
    page.click(f"a[href$='/entries/{entry.pk}/']")
    page.click("a[href*='/documents/drafts/new/?answers=']")
    page.select_option("#id_doc_type", "CV")
    page.fill("#id_subject", "V/v báo cáo triển khai chuyển đổi số năm 2027")
    page.select_option("#id_internal", [str(dept.unit.pk)])
    _submit(page, "main form[method=post]")
    draft = Document.objects.get(drafted_by=c.specialist)
    assert draft.links_out.filter(target=entry.document).exists()
    page.set_input_files("form[action$='/act/add_version/'] input[type=file]", _pdf(tmp_path, "du-thao.pdf"))
    _submit(page, "form[action$='/act/add_version/']")
    _submit(page, "form[action$='/act/submit_review/']")
    draft.refresh_from_db()
    assert draft.state == DraftState.IN_REVIEW
    _shots(page, "5-draft-in-review")

    # 4. The head of the office, then the chairman (on the phone) approve.
    for reviewer in (c.head, c.leader):
        _login(page, base, reviewer)
        page.goto(f"{base}/documents/drafts/reviews/")
        page.click(f"a[href$='/documents/{draft.pk}/']")
        _submit(page, "form[action$='/act/approve/']")
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED
    _shots(page, "6-approved")

    # 5. The clerk issues it: number 01 of the outgoing register, notation UBND-VP.
    _login(page, base, c.clerk)
    page.goto(f"{base}/documents/outgoing/to-issue/")
    page.click(f"a[href$='/documents/{draft.pk}/']")
    page.click(f"a[href$='/documents/{draft.pk}/issue/']")
    assert page.input_value("#id_signer_name") == c.leader.get_full_name()  # the last approver
    page.fill("#id_signer_position", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    _shots(page, "7-issue")
    _submit(page, "main form[method=post]")
    draft.refresh_from_db()
    assert draft.state == DraftState.ISSUED and draft.number_notation == "01/UBND-VP"
    assert "01/UBND-VP" in page.inner_text("main")
    _shots(page, "8-issued")

    # 6. It is in the Department of Health's clerk's queue, the same document, nothing re-typed.
    _login(page, base, dept.clerk)
    page.goto(f"{base}/documents/incoming/")
    assert "01/UBND-VP" in page.inner_text("main")
    _shots(page, "9-received")
    arrived = Entry.objects.get(agency=dept.unit)
    assert arrived.document_id == draft.pk

    # 7. The specialist reports the incoming document done.
    _login(page, base, c.specialist)
    page.goto(f"{base}/documents/entries/{entry.pk}/")
    page.click("a[href$='/done/']")
    page.fill("#id_text", "Đã trình UBND tỉnh ban hành Công văn số 01/UBND-VP")
    _submit(page, "main form[method=post]")
    entry.refresh_from_db()
    assert entry.state == EntryState.DONE
    assert page.console_errors == []  # type: ignore[attr-defined]
