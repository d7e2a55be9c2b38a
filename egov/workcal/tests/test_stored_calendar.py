"""The stored calendar (database overrides) drives the clock, the pages and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Province
from egov.audit.models import AuditEntry, AuditEvent
from egov.cli import main as egov_main
from egov.workcal import Limit, due, is_working_day
from egov.workcal.models import CalendarOverride, WorkCalendar
from egov.workcal.selectors import calendar_for_unit
from egov.workcal.services import calendar_override_set, work_calendar_create


@pytest.fixture
def stored(province: Province) -> WorkCalendar:
    return work_calendar_create(unit=province.province, by=None)


def test_units_inherit_the_province_calendar_and_its_overrides(
    stored: WorkCalendar, province: Province
) -> None:
    # Monday 2 March 2026 is an ordinary working day until the province declares it off.
    monday = dt.date(2026, 3, 2)
    assert is_working_day(monday, calendar_for_unit(province.one_stop_a1))
    calendar_override_set(
        calendar=stored, date=monday, working=False, reason="Nghỉ bù bão", legal_basis="CV 1/UBND", by=None
    )
    cal = calendar_for_unit(province.one_stop_a1)
    assert not is_working_day(monday, cal)
    start = dt.datetime(2026, 2, 27, 9, 0)  # Friday
    assert due(start=start, limit=Limit.working_days(1), cal=cal).date() == dt.date(2026, 3, 3)
    assert AuditEntry.objects.filter(event=AuditEvent.CALENDAR_CHANGED).count() == 2


def test_a_unit_calendar_wins_over_the_province(stored: WorkCalendar, province: Province) -> None:
    own = work_calendar_create(unit=province.district_b, rest_weekdays="6", by=None)
    saturday = dt.date(2026, 3, 7)
    assert is_working_day(saturday, calendar_for_unit(province.one_stop_b1))
    assert not is_working_day(saturday, calendar_for_unit(province.one_stop_a1))
    assert own.unit == province.district_b


def test_admin_adds_an_override_on_the_page(
    client: Client, stored: WorkCalendar, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    form = {
        "calendar": stored.pk,
        "date": "02/03/2026",
        "working": "0",
        "reason": "Nghỉ bù",
        "legal_basis": "",
    }
    assert client.post("/calendar/", form).status_code == 302
    override = CalendarOverride.objects.get(calendar=stored)
    assert (override.date, override.working) == (dt.date(2026, 3, 2), False)
    page = client.get("/calendar/?year=2026").content.decode()
    assert "Nghỉ bù" in page and "02/03/2026" in page


def test_bad_override_input_is_explained_and_nothing_saved(
    client: Client, stored: WorkCalendar, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    response = client.post(
        "/calendar/", {"calendar": stored.pk, "date": "31/02/2026", "working": "0", "reason": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nhập một ngày hợp lệ" in body and "Trường này là bắt buộc" in body
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    ("persona", "get_status", "post_status"),
    [
        ("anonymous", 302, 302),
        ("officer_a1", 200, 403),
        ("unit_admin_a", 200, 403),
        ("citizen", 403, 403),
        ("system_admin", 200, 422),
    ],
)
def test_calendar_page_access(
    client: Client,
    stored: WorkCalendar,
    login_as: Callable[[str], Any],
    persona: str,
    get_status: int,
    post_status: int,
) -> None:
    login_as(persona)
    assert client.get("/calendar/").status_code == get_status
    assert client.post("/calendar/", {"calendar": stored.pk}).status_code == post_status
    assert not CalendarOverride.objects.exists()


def test_due_calculator_on_the_page(
    client: Client, stored: WorkCalendar, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    response = client.get("/calendar/", {"start": "24/01/2025 10:00", "amount": 5, "unit": "working_days"})
    assert "07/02/2025 10:00" in response.content.decode()


def test_cli_uses_the_stored_calendar(stored: WorkCalendar, capsys: pytest.CaptureFixture[str]) -> None:
    calendar_override_set(
        calendar=stored,
        date=dt.date(2026, 3, 2),
        working=False,
        reason="Nghỉ bù bão",
        legal_basis="",
        by=None,
    )
    assert egov_main(["workcal", "is-working-day", "2026-03-02"]) == 0
    assert capsys.readouterr().out.strip() == "no\tNghỉ bù bão"


def test_year_page_lists_make_up_saturdays(
    client: Client, stored: WorkCalendar, login_as: Callable[[str], Any]
) -> None:
    login_as("officer_a1")
    page = client.get("/calendar/", {"year": 2025}).content.decode()
    # 2025: Friday 2 May off, worked on Saturday 26 April instead.
    assert "02/05/2025" in page and "26/04/2025" in page
