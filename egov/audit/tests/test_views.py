"""The audit page: Vietnamese event names, filters, .xlsx export, failed sign-ins; access unchanged."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD, Province, sign_in
from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.audit.models import AuditEntry
from egov.audit.services import audit_record

URLS = ["/audit/", "/audit/export.xlsx", "/audit/sign-in-failures/"]


@pytest.fixture
def auditor_a(province: Province) -> Any:
    """An auditor of district A: must see nothing of district B."""
    user = accounts.user_create(username="kiemtra.a", full_name="Kiểm Tra A", password=PASSWORD, by=None)
    accounts.role_grant(user=user, unit=province.district_a, role=Role.AUDITOR, by=None)
    return user


@pytest.fixture
def entries(province: Province, personas: dict[str, Any]) -> None:
    audit_record(event="portal.dossier_rated", actor=personas["citizen"], scope_path=province.commune_a1.path)
    audit_record(event="dossier.received", actor=personas["officer_a1"], scope_path=province.one_stop_a1.path)
    audit_record(event="dossier.received", actor=personas["officer_b1"], scope_path=province.one_stop_b1.path)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 403), ("officer_a1", 403), ("unit_admin_a", 403), ("system_admin", 200)],
)
def test_access_rule_is_unchanged(
    client: Client, login_as: Callable[[str], Any], persona: str, status: int
) -> None:
    login_as(persona)
    for url in URLS:
        assert client.get(url).status_code == status, url


def test_auditor_may_open_every_page(client: Client, auditor_a: Any) -> None:
    sign_in(client, auditor_a)
    for url in URLS:
        assert client.get(url).status_code == 200, url


def test_events_have_vietnamese_names(client: Client, entries: None, login_as: Callable[[str], Any]) -> None:
    login_as("system_admin")
    page = client.get("/audit/").content.decode()
    assert "Hồ sơ được người nộp đánh giá" in page
    assert ">portal.dossier_rated<" not in page
    assert "Tiếp nhận hồ sơ" in page and "Đối tượng" in page


def test_filters_by_who_event_unit_and_dates(
    client: Client, entries: None, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")

    def seqs(**params: Any) -> set[str]:
        response = client.get("/audit/", params)
        assert response.status_code == 200
        return {str(e.seq) for e in response.context["page"]}

    officer_a1 = AuditEntry.objects.get(event="dossier.received", actor_repr__icontains="A1").seq
    rated = AuditEntry.objects.get(event="portal.dossier_rated").seq
    assert seqs(actor="officer.a1") == {str(officer_a1)}
    assert seqs(event="portal.dossier_rated") == {str(rated)}
    assert seqs(event="dossier.received", unit=province.district_a.pk) == {str(officer_a1)}
    today = timezone.localdate()
    assert len(seqs(start=today.isoformat(), end=today.isoformat())) >= 3
    assert seqs(start=(today + dt.timedelta(days=1)).isoformat()) == set()
    assert seqs(start=today.strftime("%d/%m/%Y"), event="portal.dossier_rated") == {str(rated)}
    bad = client.get(
        "/audit/", {"start": today.isoformat(), "end": (today - dt.timedelta(days=2)).isoformat()}
    )
    assert bad.status_code == 422


def test_auditor_sees_only_their_scope(
    client: Client, entries: None, auditor_a: Any, province: Province
) -> None:
    sign_in(client, auditor_a)
    page = client.get("/audit/")
    actors = {e.actor_repr for e in page.context["page"]}
    assert "Officer.A1" in actors and "Officer.B1" not in actors
    unit_choices = dict(page.context["form"].fields["unit"].choices)
    assert province.district_a.pk in unit_choices and province.district_b.pk not in unit_choices
    assert client.get("/audit/", {"unit": province.district_b.pk}).status_code == 422
    book = load_workbook(io.BytesIO(client.get("/audit/export.xlsx").content))
    assert "Officer.B1" not in {row[2] for row in book.active.iter_rows(min_row=2, values_only=True)}


def test_export_is_an_xlsx_of_the_filtered_entries(
    client: Client, entries: None, login_as: Callable[[str], Any]
) -> None:
    audit_record(event="dossier.received", actor=None, target=None, after={"x": 1})
    login_as("system_admin")
    response = client.get("/audit/export.xlsx", {"event": "portal.dossier_rated"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số TT", "Thời gian", "Người thực hiện", "Sự kiện")
    assert [r[3:5] for r in rows[1:]] == [("Hồ sơ được người nộp đánh giá", "portal.dossier_rated")]


def test_failed_sign_ins_are_listed_for_admins_and_scoped_for_auditors(
    client: Client, personas: dict[str, Any], auditor_a: Any
) -> None:
    anonymous = Client()
    for username in ("officer.a1", "officer.b1", "no-such-user"):
        anonymous.post("/accounts/login/", {"username": username, "password": "wrong"})
    sign_in(client, personas["system_admin"])
    page = client.get("/audit/sign-in-failures/").content.decode()
    assert "officer.a1" in page and "officer.b1" in page and "no-such-user" in page
    assert "Đăng nhập không thành công" in page
    sign_in(client, auditor_a)
    page = client.get("/audit/sign-in-failures/").content.decode()
    assert "officer.a1" in page
    assert "officer.b1" not in page and "no-such-user" not in page
