"""Metrics, plan KPI measures and the 766 score, against dossiers made through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.plans import index766
from egov.plans.measures import Status, kpi_rows, status_for
from egov.plans.metrics import METRICS, metric_values
from egov.plans.models import PlanTarget
from egov.plans.services import index766_load, load_plan_data
from egov.plans.tests.test_services import HEADER
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period


@pytest.fixture
def period() -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=60), today)


def _resolve(dossier: Dossier, staff: dict[str, Any], *, late: bool) -> None:
    services.step_forward(dossier=dossier, by=staff["specialist"])
    services.dossier_decide(dossier=dossier, outcome="approved", reason="", by=staff["agency_leader"])
    assert dossier.statutory_due_at is not None
    resolved = dossier.statutory_due_at + dt.timedelta(hours=30 if late else -30)
    resolved = min(resolved, timezone.now() - dt.timedelta(minutes=5))
    Dossier.objects.filter(pk=dossier.pk).update(
        resolved_at=resolved, timeliness=services._timeliness(dossier.statutory_due_at, resolved)
    )


@pytest.fixture
def four(receive: Any, commune_staff: dict[str, Any]) -> list[Dossier]:
    """Four dossiers received ten days ago in commune A1: one online; two resolved, one of them late."""
    at = timezone.now() - dt.timedelta(days=10)
    made = [receive(received_at=at + dt.timedelta(hours=i)) for i in range(4)]
    Dossier.objects.filter(pk=made[0].pk).update(channel="online")
    _resolve(made[1], commune_staff, late=False)
    _resolve(made[2], commune_staff, late=True)
    return [Dossier.objects.get(pk=d.pk) for d in made]


def test_dossier_metrics_agree_with_form_ii06a(four: list[Dossier], province: Any, period: Period) -> None:
    values = metric_values(
        root=province.province,
        units=[province.province, province.district_a, province.district_b],
        period=period,
    )
    mine = values[province.province.pk]
    totals = ii06a(unit=province.province, period=period).totals
    assert mine["dossiers_received"] == totals["received_online"] + totals["received_direct"] == 4
    assert mine["dossiers_received_online"] == totals["received_online"] == 1
    assert mine["dossiers_resolved"] == totals["resolved_total"] == 2
    assert mine["dossiers_resolved_on_time"] == totals["resolved_early"] + totals["resolved_on_time"] == 1
    assert mine["dossiers_in_progress"] == totals["in_progress_total"] == 2
    assert mine["dossiers_received_online_capable"] == 4  # the procedure is fully online
    assert (
        mine["procedures_published"]
        == mine["procedures_full_online"]
        == mine["procedures_legacy_level4"]
        == 1
    )
    assert values[province.district_a.pk]["dossiers_received"] == 4
    assert values[province.district_b.pk]["dossiers_received"] == 0
    # Catalogue metrics follow the unit's handling level: the procedure is handled by communes only.
    assert values[province.district_a.pk]["procedures_published"] == 0
    for key, metric in METRICS.items():
        if not metric.measured:
            assert mine[key] == 0, key
    assert METRICS["dossiers_received"].value(unit=province.commune_a1, period=period) == 4


def test_indicator_points_group_sum_and_no_data(four: list[Dossier], province: Any, period: Period) -> None:
    index766_load(
        content=HEADER
        + "g,G,10,a,On time,6,dossiers_resolved_on_time,dossiers_resolved,\n"
        + "g,G,10,b,Online,4,dossiers_received_online,dossiers_received,\n"
        + "s,S,5,c,Ratings,5,ratings_satisfied,ratings_total,\n",
        by=None,
    )
    score = index766.score_units(root=province.province, units=[province.province], period=period)[
        province.province.pk
    ]
    g, s = score.groups
    a, b = g.indicators
    assert (a.numerator, a.denominator, a.points) == (1, 2, Decimal("3.00"))  # 6 × 1/2
    assert (b.numerator, b.denominator, b.points) == (1, 4, Decimal("1.00"))  # 4 × 1/4
    assert g.points == Decimal(4) and g.consistent
    (c,) = s.indicators
    # Ratings are measured (portal), but nobody has rated yet: no data, no points.
    assert (c.points, c.has_data, c.measured) == (Decimal(0), False, True)
    assert score.total == Decimal(4) and score.maximum == Decimal(15) and score.rating == "weak"


def test_points_are_capped_and_zero_without_denominator() -> None:
    assert index766.indicator_points(max_points=Decimal(12), numerator=3, denominator=4) == Decimal("9.00")
    assert index766.indicator_points(max_points=Decimal(12), numerator=5, denominator=4) == Decimal(12)
    assert index766.indicator_points(max_points=Decimal(12), numerator=0, denominator=0) == Decimal(0)
    assert index766.indicator_points(max_points=Decimal(10), numerator=1, denominator=3) == Decimal("3.33")


@pytest.mark.parametrize(
    ("total", "rating"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.99", "fair"),
        ("50", "fair"),
        ("49.99", "average"),
        ("30", "average"),
        ("29.99", "weak"),
        ("0", "weak"),
    ],
)
def test_rating_thresholds(total: str, rating: str) -> None:
    assert index766.rating_for(Decimal(total)) == rating


def test_default_index_scores_live_data(four: list[Dossier], province: Any, period: Period) -> None:
    load_plan_data(by=None)
    score = index766.score_units(root=province.province, units=[province.province], period=period)[
        province.province.pk
    ]
    assert score.maximum == 100 and all(g.consistent for g in score.groups)
    points = {i.indicator.key: i.points for g in score.groups for i in g.indicators}
    assert points["p_resolved_on_time"] == Decimal("6.00")  # 12 × 1/2
    assert points["o_procedures_full_online"] == Decimal("4.00")  # 4 × 1/1
    assert points["o_dossiers_online"] == Decimal("2.00")  # 8 × 1/4
    assert points["s_ratings_satisfied"] == 0 and points["pay_dossiers_online"] == 0
    assert score.total == sum(points.values())


def test_kpis_met_not_met_and_not_measured(four: list[Dossier], province: Any, period: Period) -> None:
    load_plan_data(by=None)
    rows = {
        r.target.key: r
        for r in kpi_rows(targets=list(PlanTarget.objects.all()), unit=province.province, period=period)
    }
    online = rows["dossiers_online_share"]
    assert (online.numerator, online.denominator, online.value) == (1, 4, Decimal(25))
    assert online.status == Status.NOT_MET  # 25% < 30%
    level4 = rows["services_level4_share"]
    assert level4.value == 100 and level4.status == Status.MET and level4.also_value == 100
    on_time = rows["on_time_rate"]
    assert (
        on_time.value == 50
        and on_time.status == Status.NO_TARGET
        and on_time.vs_baseline == Decimal("-32.16")
    )
    for key in ("satisfaction", "transactions_e_authenticated", "reports_on_system"):
        assert rows[key].status == Status.NOT_MEASURED and rows[key].value is None and rows[key].definition
    # Measured by the document system; no documents or file plans in this world yet.
    for key in ("docs_electronic_share", "workfiles_online_province", "workfiles_online_commune"):
        assert rows[key].status == Status.NO_DATA and rows[key].definition
    Dossier.objects.filter(pk=four[1].pk).update(channel="online")
    rows = {
        r.target.key: r
        for r in kpi_rows(targets=list(PlanTarget.objects.all()), unit=province.province, period=period)
    }
    assert rows["dossiers_online_share"].value == 50 and rows["dossiers_online_share"].status == Status.MET
    empty = kpi_rows(
        targets=list(PlanTarget.objects.filter(key="dossiers_online_share")),
        unit=province.district_b,
        period=period,
    )
    assert empty[0].status == Status.NO_DATA


def test_status_for_reads_targets_as_minimums() -> None:
    assert status_for(Decimal(30), Decimal(30)) == Status.MET
    assert status_for(Decimal("29.99"), Decimal(30)) == Status.NOT_MET
    assert status_for(None, Decimal(30)) == Status.NO_DATA
    assert status_for(Decimal(10), None) == Status.NO_TARGET


def test_portal_ratings_feed_the_satisfaction_metrics(
    receive: Any, personas: dict[str, Any], province: Any, commune_staff: dict[str, Any]
) -> None:
    import datetime as dt

    from django.utils import timezone

    from egov.dossiers import services
    from egov.dossiers.models import Dossier
    from egov.plans.metrics import metric_values
    from egov.portal.services import rating_submit
    from egov.reports.periods import Period

    citizen = personas["citizen"]
    for score in ("very_satisfied", "not_satisfied"):
        dossier = receive()
        Dossier.objects.filter(pk=dossier.pk).update(applicant_user=citizen)
        services.step_forward(dossier=dossier, by=commune_staff["specialist"])
        dossier = services.dossier_decide(
            dossier=dossier, outcome="approved", reason="", by=commune_staff["agency_leader"]
        )
        rating_submit(dossier=dossier, by=citizen, score=score)
    today = timezone.localdate()
    values = metric_values(
        root=province.province,
        units=[province.province],
        period=Period(today - dt.timedelta(days=1), today),
        keys=["ratings_total", "ratings_satisfied"],
    )[province.province.pk]
    assert (values["ratings_total"], values["ratings_satisfied"]) == (2, 1)
