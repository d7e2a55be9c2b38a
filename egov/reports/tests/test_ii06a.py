"""II.06a on generated dossiers: identities hold, and each number matches an independent count."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period, period_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_periods_calendar_and_cutoff_windows() -> None:
    assert period_for("month", 2026, 3) == Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert period_for("month", 2026, 3, cutoff=True) == Period(dt.date(2026, 2, 15), dt.date(2026, 3, 14))
    assert period_for("month", 2026, 1, cutoff=True) == Period(dt.date(2025, 12, 15), dt.date(2026, 1, 14))
    assert period_for("quarter", 2026, 2, cutoff=True) == Period(dt.date(2026, 3, 15), dt.date(2026, 6, 14))
    assert period_for("half", 2026, 1, cutoff=True) == Period(dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    assert period_for("nine_months", 2026, cutoff=True) == Period(dt.date(2025, 12, 15), dt.date(2026, 9, 14))
    assert period_for("year", 2026, cutoff=True) == Period(dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert period_for("year", 2026) == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    with pytest.raises(ValueError):
        Period(dt.date(2015, 1, 1), dt.date(2026, 1, 1))


@pytest.fixture
def history(receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]) -> list[Dossier]:
    """40 dossiers over four months with every kind of ending, through the real services."""
    rng = random.Random(7)
    officer, leader = personas["officer_a1"], commune_staff["agency_leader"]
    made = []
    for i in range(40):
        received = dt.datetime(2026, 7, 1, 8, 0, tzinfo=VN) + dt.timedelta(
            days=rng.randint(0, 110), hours=rng.randint(0, 8)
        )
        dossier = receive(received_at=received, channel=rng.choice(["direct", "direct", "postal"]))
        if i % 3 == 0:
            Dossier.objects.filter(pk=dossier.pk).update(channel="online")
        fate = i % 5
        if fate in (0, 1, 2):
            services.step_forward(dossier=dossier, by=commune_staff["specialist"])
            services.dossier_decide(dossier=dossier, outcome="approved", reason="", by=leader)
            # Resolution time drawn around the due time: some early, some on time, some late.
            resolved = dossier.statutory_due_at + dt.timedelta(hours=rng.choice([-30, -2, 20, 60]))
            timeliness = services._timeliness(dossier.statutory_due_at, resolved)
            Dossier.objects.filter(pk=dossier.pk).update(resolved_at=resolved, timeliness=timeliness)
        elif fate == 3:
            services.dossier_withdraw(dossier=dossier, reason="Rút", by=officer)
            Dossier.objects.filter(pk=dossier.pk).update(terminated_at=received + dt.timedelta(days=2))
        made.append(Dossier.objects.get(pk=dossier.pk))
    return made


def _independent(
    dossiers: list[Dossier], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, int]:
    def closed_before(d: Dossier, t: dt.datetime) -> bool:
        return any(x is not None and x < t for x in (d.resolved_at, d.terminated_at))

    counted = [d for d in dossiers if d.received_at < end and not closed_before(d, start)]
    out = {
        "received_online": 0,
        "received_direct": 0,
        "carried_over": 0,
        "resolved_early": 0,
        "resolved_on_time": 0,
        "resolved_late": 0,
        "in_progress_within": 0,
        "in_progress_overdue": 0,
        "withdrawn_or_stopped": 0,
    }
    for d in counted:
        if d.received_at < start:
            out["carried_over"] += 1
        elif d.channel == "online":
            out["received_online"] += 1
        else:
            out["received_direct"] += 1
        if d.resolved_at is not None and start <= d.resolved_at < end:
            out[f"resolved_{d.timeliness}"] += 1
        elif d.terminated_at is not None and start <= d.terminated_at < end:
            out["withdrawn_or_stopped"] += 1
        elif d.statutory_due_at < min(end, now):
            out["in_progress_overdue"] += 1
        else:
            out["in_progress_within"] += 1
    return out


@pytest.mark.parametrize("month", [8, 9, 10])
def test_report_matches_an_independent_count_and_identities_hold(
    history: list[Dossier], province: Any, month: int
) -> None:
    period = period_for("month", 2026, month)
    now = timezone.now()
    report = ii06a(unit=province.province, period=period, now=now)
    t = report.totals
    start = dt.datetime(2026, month, 1, tzinfo=VN)
    end = dt.datetime(2026, month + 1, 1, tzinfo=VN)
    expected = _independent(history, start, end, now)
    for key, value in expected.items():
        assert t[key] == value, key
    assert t["received_total"] == t["received_online"] + t["received_direct"] + t["carried_over"]
    assert t["resolved_total"] == t["resolved_early"] + t["resolved_on_time"] + t["resolved_late"]
    assert t["in_progress_total"] == t["in_progress_within"] + t["in_progress_overdue"]
    assert t["received_total"] == t["resolved_total"] + t["in_progress_total"] + t["withdrawn_or_stopped"]
    assert t["received_total"] > 0
    for row in report.rows:
        v = row.values
        assert v["received_total"] == v["resolved_total"] + v["in_progress_total"] + v["withdrawn_or_stopped"]


def test_sub_units_and_other_areas(history: list[Dossier], province: Any) -> None:
    period = Period(dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    whole = ii06a(unit=province.province, period=period).totals
    commune = ii06a(unit=province.commune_a1, period=period).totals
    other = ii06a(unit=province.commune_b1, period=period).totals
    assert whole == commune and whole["received_total"] == 40
    assert other["received_total"] == 0
    by_level = ii06a(unit=province.province, period=period, group_by="level")
    assert [r.key for r in by_level.rows] == ["commune"]


def test_empty_period_gives_zeros(province: Any, db: None) -> None:
    report = ii06a(unit=province.province, period=Period(dt.date(2020, 1, 1), dt.date(2020, 1, 31)))
    assert report.rows == [] and set(report.totals.values()) == {0}


def test_successor_can_be_reported_with_its_predecessors_history(
    history: list[Dossier], province: Any
) -> None:
    from egov.orgs import services as org_services
    from egov.orgs.models import Unit

    new_units = "gso_code,name,unit_type,level,parent_gso_code\n1,Tỉnh Thử Nghiệm,Tỉnh,province,\n50,Phường Mới,Phường,commune,1\n"
    mapping = "old_gso_code,old_name,new_gso_code,new_name,split\n11,Xã A1,50,Phường Mới,no\n12,Xã A2,50,Phường Mới,no\n"
    org_services.units_reorganise(
        replaces=province.province,
        units_content=new_units,
        mapping_content=mapping,
        effective_on=dt.date(2027, 1, 1),
        by=None,
    )
    successor = Unit.objects.get(gso_code="50", kind="commune")
    period = Period(dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert ii06a(unit=successor, period=period).totals["received_total"] == 0
    merged = ii06a(unit=successor, period=period, with_predecessors=True).totals
    assert merged == ii06a(unit=province.commune_a1, period=period).totals
    assert merged["received_total"] == 40
