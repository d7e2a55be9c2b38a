"""The leaders' dashboard: numbers against an independent count, bounded queries, access, charts."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.orgs.models import Unit, UnitKind
from egov.reports import charts
from egov.reports.selectors import _week_end, dashboard_data, twelve_months

VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/reports/dashboard/"


def _commune_b1_staff(province: Any) -> dict[str, Any]:
    from egov.accounts import services as accounts
    from egov.accounts.models import User

    committee = Unit.objects.get(parent=province.commune_b1, kind=UnitKind.PEOPLES_COMMITTEE)
    people = {}
    for username, role in (("chuyenvien.b1", "specialist"), ("chutich.b1", "agency_leader")):
        person = User.objects.filter(username=username).first()
        if person is None:
            person = accounts.user_create(username=username, full_name=username, by=None)
            accounts.role_grant(user=person, unit=committee, role=role, by=None)
        people[role] = person
    return people


def _make_history(
    receive: Any,
    province: Any,
    personas: dict[str, Any],
    commune_staff: dict[str, Any],
    count: int,
    seed: int,
) -> list[Dossier]:
    """Dossiers over the past ten months in communes A1 and B1: resolved early, on time or late,
    withdrawn, and still in progress (some overdue, some due this week)."""
    rng = random.Random(seed)
    now = timezone.now()
    made = []
    # Commune B1's dossiers are handled by B1's own staff (egov.dossiers.workflow).
    staff_b = _commune_b1_staff(province)
    for i in range(count):
        in_b = i % 4 == 3
        staff = staff_b if in_b else commune_staff
        received = now - dt.timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 8))
        unit_kwargs = {"unit": province.one_stop_b1, "by": personas["officer_b1"]} if in_b else {}
        dossier = receive(received_at=received, channel=rng.choice(["direct", "postal"]), **unit_kwargs)
        if i % 3 == 0:
            Dossier.objects.filter(pk=dossier.pk).update(channel="online")
        fate = i % 6
        if fate in (0, 1, 2, 3):
            services.step_forward(dossier=dossier, by=staff["specialist"])
            services.dossier_decide(dossier=dossier, outcome="approved", reason="", by=staff["agency_leader"])
            resolved = min(
                dossier.statutory_due_at + dt.timedelta(hours=rng.choice([-30, -2, 20, 60])),
                now - dt.timedelta(hours=1),
            )
            Dossier.objects.filter(pk=dossier.pk).update(
                resolved_at=resolved, timeliness=services._timeliness(dossier.statutory_due_at, resolved)
            )
        elif fate == 4:
            officer = personas["officer_b1"] if in_b else personas["officer_a1"]
            services.dossier_withdraw(dossier=dossier, reason="Rút", by=officer)
        elif i % 12 == 5:
            # Still in progress and due in the next hours (this week, unless it is Sunday night).
            Dossier.objects.filter(pk=dossier.pk).update(statutory_due_at=now + dt.timedelta(hours=1))
        made.append(Dossier.objects.get(pk=dossier.pk))
    return made


@pytest.fixture
def history(
    receive: Any, province: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> list[Dossier]:
    return _make_history(receive, province, personas, commune_staff, count=36, seed=11)


def _independent(dossiers: list[Dossier], *, under: Unit, now: dt.datetime) -> dict[str, int]:
    period = twelve_months(timezone.localdate(now))
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=VN)
    mine = [d for d in dossiers if d.resolving_unit.path.startswith(under.path)]
    new = [d for d in mine if d.received_at >= start]
    resolved = [d for d in mine if d.resolved_at is not None and d.resolved_at >= start]
    processing = [d for d in mine if d.state == "processing"]
    return {
        "received": len(new),
        "received_online": sum(d.channel == "online" for d in new),
        "resolved": len(resolved),
        "resolved_in_time": sum(d.timeliness in ("early", "on_time") for d in resolved),
        "resolved_late": sum(d.timeliness == "late" for d in resolved),
        "overdue_now": sum(d.statutory_due_at < now for d in processing),
        "due_this_week": sum(now <= d.statutory_due_at < _week_end(now) for d in processing),
    }


def test_numbers_match_an_independent_count(history: list[Dossier], province: Any) -> None:
    now = timezone.now()
    data = dashboard_data(unit=province.province, now=now)
    expected = _independent(history, under=province.province, now=now)
    assert {k: getattr(data.kpis, k) for k in expected} == expected
    assert expected["resolved_late"] > 0 and expected["overdue_now"] > 0 and expected["received_online"] > 0
    assert data.kpis.on_time_rate == Decimal(100 * expected["resolved_in_time"]) / expected["resolved"]
    assert len(data.months) == 12
    assert sum(m.received for m in data.months) == expected["received"]
    assert sum(m.resolved for m in data.months) == expected["resolved"]
    assert sum(m.resolved_in_time for m in data.months) == expected["resolved_in_time"]
    # Each month's counts are its own dossiers.
    for month in data.months:
        in_month = [d for d in history if d.received_at.astimezone(VN).date().replace(day=1) == month.month]
        assert month.received == len(in_month)
    # Sub-units: districts A and B (and the province committee) with their own late counts.
    by_label = {row.label: row for row in data.sub_units}
    for district in (province.district_a, province.district_b):
        own = _independent(history, under=district, now=now)
        assert (by_label[district.name].resolved, by_label[district.name].late) == (
            own["resolved"],
            own["resolved_late"],
        )
    assert [r.late for r in data.sub_units] == sorted((r.late for r in data.sub_units), reverse=True)
    # Procedures: one procedure carries every late dossier.
    assert len(data.procedures) == 1
    assert (data.procedures[0].resolved, data.procedures[0].late) == (
        expected["resolved"],
        expected["resolved_late"],
    )


def test_a_district_sees_only_its_own_dossiers(history: list[Dossier], province: Any) -> None:
    now = timezone.now()
    data = dashboard_data(unit=province.district_b, now=now)
    expected = _independent(history, under=province.district_b, now=now)
    assert data.kpis.received == expected["received"] > 0
    assert data.kpis.received < dashboard_data(unit=province.province, now=now).kpis.received
    assert [r.label for r in data.sub_units] == sorted(
        u.name for u in Unit.objects.filter(parent=province.district_b).exclude(kind=UnitKind.ONE_STOP)
    )


def test_empty_unit_shows_no_rates(province: Any, db: None) -> None:
    data = dashboard_data(unit=province.province)
    assert data.kpis.on_time_rate is None and data.kpis.online_share is None
    assert data.procedures == [] and all(r.resolved == 0 for r in data.sub_units)


def test_query_count_does_not_grow_with_the_data(
    client: Client,
    receive: Any,
    province: Any,
    personas: dict[str, Any],
    commune_staff: dict[str, Any],
    login_as: Callable[[str], Any],
    django_assert_max_num_queries: Any,
) -> None:
    login_as("system_admin")
    _make_history(receive, province, personas, commune_staff, count=8, seed=1)
    with django_assert_max_num_queries(20) as small:
        assert client.get(URL).status_code == 200
    _make_history(receive, province, personas, commune_staff, count=30, seed=2)
    with django_assert_max_num_queries(20) as large:
        assert client.get(URL).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 403), ("officer_a1", 200), ("unit_admin_a", 200), ("system_admin", 200)],
)
def test_access(client: Client, login_as: Callable[[str], Any], persona: str, status: int) -> None:
    login_as(persona)
    response = client.get(URL)
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login" in response["Location"]


def test_units_of_another_district_are_neither_offered_nor_shown(
    client: Client, province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("unit_admin_a")
    page = client.get(URL).content.decode()
    assert province.district_a.name in page and province.district_b.name not in page
    assert client.get(URL, {"unit": province.commune_b1.pk}).status_code == 404
    assert client.get(URL, {"unit": "nope"}).status_code == 404
    assert client.get(URL, {"unit": province.commune_a1.pk}).status_code == 200


def test_defaults_to_the_users_highest_unit(
    client: Client, province: Any, commune_staff: dict[str, Any], login_as: Callable[[str], Any]
) -> None:
    from conftest import sign_in

    sign_in(client, commune_staff["agency_leader"])
    committee = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)
    assert client.get(URL).context["data"].unit == committee
    login_as("system_admin")
    assert client.get(URL).context["data"].unit == province.province
    login_as("unit_admin_a")
    assert client.get(URL).context["data"].unit == province.district_a


def test_page_has_accessible_svg_charts_and_no_inline_styles(
    client: Client, history: list[Dossier], login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    response = client.get(URL)
    page = response.content.decode()
    assert page.count("<svg") == 3 and page.count('role="img"') == 3
    assert page.count('<table class="visually-hidden">') == 3
    assert '<title id="chart-received-title">' in page and 'aria-labelledby="chart-received-title' in page
    assert not re.search(r"\sstyle=", page) and "<script" not in page.split("</head>")[1]
    # Either a percentage or the "no ratings" sentence, whichever the data calls for (never both).
    if response.context["data"].kpis.rated:
        assert re.search(r'data-kpi="satisfaction">[0-9.,]+%<', page)
    else:
        assert 'data-kpi="satisfaction">Chưa có đánh giá<' in page


def test_numbers_link_to_the_dossiers_behind_them(
    client: Client, history: list[Dossier], province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    response = client.get(URL)
    data = response.context["data"]
    district_a = next(r for r in data.sub_units if r.label == province.district_a.name)
    assert district_a.late > 0 and "col=resolved_late" in district_a.late_url
    assert f"unit={province.district_a.pk}" in district_a.late_url and "group_by=field" in district_a.late_url
    drill = client.get(district_a.late_url)
    assert drill.status_code == 200 and drill.context["page"].paginator.count == district_a.late
    procedure = data.procedures[0]
    drill = client.get(procedure.late_url)
    assert drill.status_code == 200 and drill.context["page"].paginator.count == procedure.late
    overdue = client.get(data.overdue_url)
    assert overdue.context["page"].paginator.count == data.kpis.overdue_now
    assert client.get("/reports/dashboard/drill/", {"unit": province.province.pk}).status_code == 422


def test_procedure_drill_is_scoped_to_the_user(
    client: Client, history: list[Dossier], province: Any, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    url = client.get(URL).context["data"].procedures[0].late_url
    login_as("citizen")
    assert client.get(url).status_code == 403
    login_as("officer_b1")
    assert client.get(url).status_code == 422  # the province is not among the units offered


# ---------------------------------------------------------------- charts


def test_bar_chart_prints_values_escapes_labels_and_uses_patterns() -> None:
    svg = charts.bar_chart(
        chart_id="c1",
        title="Received <b>",
        description="d",
        labels=["01/26", "<x>"],
        values=[3, 0],
        pattern="dots",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "Received &lt;b&gt;" in svg
    assert "&lt;x&gt;" in svg and "<x>" not in svg
    assert 'fill="url(#c1-dots)"' in svg and '<pattern id="c1-dots"' in svg
    assert svg.count("<rect") == 2  # the pattern's background and one bar: a zero draws no bar
    assert ">3</text>" in svg and ">0</text>" in svg and "style=" not in svg
    with pytest.raises(ValueError):
        charts.bar_chart(chart_id="c", title="t", description="d", labels=["a"], values=[1, 2])


def test_line_chart_leaves_gaps_for_missing_values() -> None:
    svg = charts.line_chart(
        chart_id="c2",
        title="Rate",
        description="d",
        labels=["a", "b", "c", "d"],
        values=[80.0, None, 90.0, 100.0],
        value_labels=["80%", "", "90%", "100%"],
        reference=charts.Reference(82.16, "2020: 82.16%"),
    )
    assert svg.count("<polyline") == 1  # a, then a gap, then c–d
    assert ">80%</text>" in svg and ">100%</text>" in svg and "2020: 82.16%" in svg
    assert 'stroke-dasharray="6 4"' in svg and "style=" not in svg


def test_period_label_matches_the_period_and_satisfaction_is_in_vietnamese(
    client: Client, history: list[Dossier], personas: dict[str, Any], login_as: Callable[[str], Any]
) -> None:
    """Issue #13: in December the "12 tháng gần nhất" label covered 1 January to today, and the
    satisfaction card was an untranslated English sentence."""
    from egov.portal.models import Rating

    resolved = [d for d in history if d.resolved_at is not None]
    for dossier, score in zip(resolved[:3], ["satisfied", "very_satisfied", "not_satisfied"], strict=True):
        Rating.objects.create(dossier=dossier, user=personas["citizen"], score=score)
    login_as("system_admin")
    page = client.get(URL).content.decode()
    assert "12 tháng gần nhất" not in page
    assert "tháng này tính đến hôm nay và 11 tháng trước đó" in page
    assert "ratings given on the portal" not in page
    assert "2 trên 3 lượt đánh giá trên Cổng dịch vụ công là hài lòng hoặc rất hài lòng" in page
    assert twelve_months(dt.date(2026, 12, 7)).start == dt.date(2026, 1, 1)
