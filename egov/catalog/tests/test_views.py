from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from egov.accounts import services as account_services
from egov.accounts.models import Role
from egov.catalog import services
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.tests.samples import birth_registration, judicial_record


@pytest.fixture
def catalogue(db: None) -> None:
    for data in (birth_registration(), judicial_record()):
        draft = services.procedure_save_draft(data=data, by=None)
        services.procedure_publish(
            version=draft, by=None, decision_number="1/QĐ", decision_date=dt.date(2021, 6, 1)
        )


@pytest.fixture
def officer(client: Client, personas: dict[str, Any], province: Any) -> Any:
    from conftest import sign_in

    user = personas["officer_b1"]
    account_services.role_grant(user=user, unit=province.province, role=Role.CATALOGUE_OFFICER, by=None)
    sign_in(client, user)
    return user


def test_anyone_searches_the_catalogue_without_diacritics(client: Client, catalogue: None) -> None:
    body = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in body and "lý lịch tư pháp" not in body


def test_public_page_shows_papers_time_fees_in_vnd(client: Client, catalogue: None) -> None:
    body = client.get("/thu-tuc/2.000488/").content.decode()
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in body
    assert "200.000 đ" in body
    assert "10 ngày làm việc" in body


def test_unknown_or_draft_procedure_is_404(client: Client, catalogue: None) -> None:
    services.procedure_save_draft(data=judicial_record(code="9.999", name="Nháp"), by=None)
    assert client.get("/thu-tuc/9.999/").status_code == 404
    assert client.get("/thu-tuc/nope/").status_code == 404


def test_api_search_and_detail_are_public(client: Client, catalogue: None) -> None:
    found = client.get("/api/v1/procedures", {"q": "LY LICH"}).json()
    assert [i["code"] for i in found["items"]] == ["2.000488"] and found["count"] == 1
    detail = client.get("/api/v1/procedures/1.001193").json()
    assert detail["channels"][0]["channel"] == "direct" and detail["cutoff"] == "15:00"


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 302), ("citizen", 403), ("officer_a1", 403), ("system_admin", 200)]
)
def test_editor_access(
    client: Client, login_as: Callable[[str], Any], catalogue: None, persona: str, status: int
) -> None:
    login_as(persona)
    for url in (
        "/catalog/",
        "/catalog/new/",
        "/catalog/p/1.001193/",
        "/catalog/import/",
        "/catalog/export.xlsx",
    ):
        assert client.get(url).status_code == status, url


def _form(data: dict[str, Any] | None = None) -> dict[str, Any]:
    base = {
        "code": "1.000001",
        "name": "Chứng thực chữ ký",
        "field_code": "CT",
        "field_name": "Chứng thực",
        "levels": ["commune"],
        "applicant_types": ["citizen"],
        "online_level": "none",
        "legacy_level": "2",
        "supplement_mode": "pause",
        "ch-TOTAL_FORMS": "1",
        "ch-INITIAL_FORMS": "0",
        "ch-0-channel": "direct",
        "ch-0-time_amount": "1",
        "ch-0-time_unit": "working_days",
        "ch-0-fee_kind": "charge",
        "ch-0-fee_amount": "10000",
        "ch-0-fee_collection": "before",
        "pa-TOTAL_FORMS": "1",
        "pa-INITIAL_FORMS": "0",
        "pa-0-order": "1",
        "pa-0-name": "Giấy tờ cần chứng thực",
        "pa-0-originals": "1",
        "pa-0-certified_copies": "0",
        "pa-0-photocopies": "0",
        "st-TOTAL_FORMS": "2",
        "st-INITIAL_FORMS": "0",
        "st-0-level": "commune",
        "st-0-order": "1",
        "st-0-name": "Tiếp nhận",
        "st-0-role": "one_stop_officer",
        "st-0-unit_kind": "one_stop",
        "st-0-budget_amount": "2",
        "st-0-budget_unit": "working_hours",
        "st-1-level": "commune",
        "st-1-order": "2",
        "st-1-name": "Ký chứng thực",
        "st-1-role": "agency_leader",
        "st-1-unit_kind": "committee",
        "st-1-budget_amount": "6",
        "st-1-budget_unit": "working_hours",
    }
    base.update(data or {})
    return base


def test_officer_creates_a_draft_and_publishes_it(client: Client, officer: Any, catalogue: None) -> None:
    assert client.post("/catalog/new/", _form()).status_code == 302
    draft = ProcedureVersion.objects.get(procedure__code="1.000001")
    assert draft.status == VersionStatus.DRAFT
    response = client.post(
        "/catalog/p/1.000001/",
        {"action": "publish", "decision_number": "45/QĐ-UBND", "decision_date": "01/03/2022"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.decision_date) == (VersionStatus.PUBLISHED, dt.date(2022, 3, 1))
    assert "Chứng thực chữ ký" in client.get("/thu-tuc/", {"q": "chung thuc"}).content.decode()


def test_editor_refuses_budgets_over_the_limit_and_keeps_the_input(
    client: Client, officer: Any, catalogue: None
) -> None:
    response = client.post("/catalog/new/", _form({"st-1-budget_amount": "9", "ch-0-fee_amount": "10.5"}))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Chứng thực chữ ký" in body  # typed name kept
    assert "đồng" in body  # fee must be whole VND
    assert not ProcedureVersion.objects.filter(procedure__code="1.000001").exists()
    response = client.post("/catalog/new/", _form({"st-1-budget_amount": "9"}))
    assert response.status_code == 422
    assert "11" in response.content.decode() and "8" in response.content.decode()
    assert not ProcedureVersion.objects.filter(procedure__code="1.000001").exists()


def test_editing_a_published_procedure_keeps_it_in_force(
    client: Client, officer: Any, catalogue: None
) -> None:
    page = client.get("/catalog/p/1.001193/edit/").content.decode()
    assert 'value="Đăng ký khai sinh"' in page
    form = _form({"code": "1.001193", "name": "Đăng ký khai sinh (mới)", "field_code": "HT"})
    assert client.post("/catalog/p/1.001193/edit/", form).status_code == 302
    assert "Đăng ký khai sinh (mới)" not in client.get("/thu-tuc/1.001193/").content.decode()
    assert ProcedureVersion.objects.filter(procedure__code="1.001193").count() == 2


def test_api_write_needs_an_officer(client: Client, catalogue: None, login_as: Callable[[str], Any]) -> None:
    login_as("officer_a1")
    response = client.put("/api/v1/procedures/1.001193/draft", {}, content_type="application/json")
    assert response.status_code in (403, 422)


class _BrowserForm(HTMLParser):
    """What a browser submits for the editor's form: every input's value, checked boxes, each
    select's selected option (or its first one), textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            else:
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value, self._first = a.get("name"), None, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.data.append((self._textarea or "", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.data.pop()
            self.data.append((name, value + data.lstrip("\n") if not value else value + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            self.data.append(
                (self._select, self._select_value if self._select_value is not None else self._first or "")
            )
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _as_submitted(page: str) -> dict[str, Any]:
    parser = _BrowserForm()
    parser.feed(page[page.index('<form method="post" novalidate>') :])
    out: dict[str, Any] = {}
    for name, value in parser.data:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


def test_saving_unchanged_ignores_the_blank_extra_rows(client: Client, officer: Any, catalogue: None) -> None:
    """Issue #13: the two blank extra process rows failed with six "This field is required"."""
    page = client.get("/catalog/p/1.001193/edit/").content.decode()
    submitted = _as_submitted(page)
    assert submitted["st-TOTAL_FORMS"] != submitted["st-INITIAL_FORMS"]  # there are blank rows
    response = client.post("/catalog/p/1.001193/edit/", submitted)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert ProcedureVersion.objects.filter(procedure__code="1.001193", status=VersionStatus.DRAFT).exists()


def test_a_failed_save_says_why_next_to_the_button(client: Client, officer: Any, catalogue: None) -> None:
    response = client.post("/catalog/new/", _form({"st-1-name": "", "name": ""}))
    assert response.status_code == 422
    body = response.content.decode()
    summary = body[body.index('id="save-errors"') : body.index("Lưu bản nháp")]
    assert "Bản nháp chưa được lưu: 2 lỗi cần sửa" in summary
    assert "Quy trình nội bộ, dòng 2" in summary
