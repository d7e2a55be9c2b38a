"""Loading plan targets and the 766 index definition: idempotent, audited, validated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from egov.audit.models import AuditEntry
from egov.plans.models import IndexGroup, IndexIndicator, PlanTarget
from egov.plans.services import (
    DEMO_TARGETS_FILE,
    INDEX766_FILE,
    PLAN_2021,
    PlanDataError,
    index766_load,
    load_plan_data,
    plan_targets_load,
)

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_a_reload_changes_nothing() -> None:
    first = load_plan_data(by=None)
    assert len(first["targets"].created) == 13 and len(first["index766"].created) == 6 + 12
    entries = AuditEntry.objects.count()
    assert entries == 2
    second = load_plan_data(by=None)
    assert not second["targets"].changed and not second["index766"].changed
    assert AuditEntry.objects.count() == entries
    assert PlanTarget.objects.count() == 13 and IndexIndicator.objects.count() == 12
    on_time = PlanTarget.objects.get(plan=PLAN_2021, key="on_time_rate")
    assert on_time.target is None and on_time.baseline == Decimal("82.16")
    level4 = PlanTarget.objects.get(key="services_level4_share")
    assert (level4.target, level4.baseline, level4.unit) == (Decimal(40), Decimal("19.8"), "percent")
    assert [t.key for t in PlanTarget.objects.order_by("order")][:2] == [
        "docs_electronic_share",
        "workfiles_online_province",
    ]
    groups = {g.key: g.max_points for g in IndexGroup.objects.all()}
    assert groups == {
        "transparency": 18,
        "progress": 20,
        "online": 12,
        "digitisation": 22,
        "payment": 10,
        "satisfaction": 18,
    }
    assert sum(groups.values()) == 100
    for group in IndexGroup.objects.prefetch_related("indicators"):
        assert 2 <= group.indicators.count() <= 3
        assert sum(i.max_points for i in group.indicators.all()) == group.max_points


def test_a_changed_file_updates_and_removes_rows_and_is_audited() -> None:
    content = DEMO_TARGETS_FILE.read_text(encoding="utf-8")
    plan_targets_load(content=content, plan="test plan", by=None)
    lines = content.splitlines()
    changed = [
        lines[0],
        *[
            line.replace(",30,,percent", ",35,,percent")
            for line in lines[1:]
            if not line.startswith("satisfaction,")
        ],
    ]
    summary = plan_targets_load(content="\n".join(changed), plan="test plan", by=None)
    # Two targets changed; on_time_rate moved up one place in the file.
    assert sorted(summary.updated) == [
        "dossiers_online_share",
        "on_time_rate",
        "transactions_e_authenticated",
    ]
    assert summary.removed == ["satisfaction"] and summary.created == []
    assert PlanTarget.objects.get(plan="test plan", key="dossiers_online_share").target == 35
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.event == "plans.targets_loaded" and entry.after["removed"] == ["satisfaction"]
    assert len(entry.after["file_sha256"]) == 64


def test_targets_of_other_plans_are_left_alone() -> None:
    content = DEMO_TARGETS_FILE.read_text(encoding="utf-8")
    plan_targets_load(content=content, plan="A", by=None)
    plan_targets_load(
        content=content.splitlines()[0] + "\nx,Only one,province,50,,percent,\n", plan="B", by=None
    )
    assert (
        PlanTarget.objects.filter(plan="A").count() == 13 and PlanTarget.objects.filter(plan="B").count() == 1
    )


def test_bad_target_files_are_refused_whole() -> None:
    bad = "key,indicator,scope,target_2021,baseline_2020,unit,how_measured_in_egov\na,A,p,abc,,percent,\n,B,p,1,,percent,\n"
    with pytest.raises(PlanDataError) as raised:
        plan_targets_load(content=bad, plan="P", by=None)
    assert [line for line, _m in raised.value.errors] == [2, 3]
    assert not PlanTarget.objects.exists()


HEADER = "group_key,group_name,group_max_points,key,name,max_points,numerator_metric,denominator_metric,definition\n"


def test_index_files_with_unknown_metrics_or_wrong_sums_are_refused() -> None:
    unknown = HEADER + "g,G,10,a,A,10,no_such_metric,dossiers_received,\n"
    with pytest.raises(PlanDataError, match="no_such_metric"):
        index766_load(content=unknown, by=None)
    wrong_sum = (
        HEADER
        + "g,G,10,a,A,6,dossiers_resolved_on_time,dossiers_resolved,\ng,G,10,b,B,3,ratings_satisfied,ratings_total,\n"
    )
    with pytest.raises(PlanDataError, match=r"\b9\b.*\b10\b"):
        index766_load(content=wrong_sum, by=None)
    assert not IndexGroup.objects.exists()


def test_index_reload_replaces_the_definition() -> None:
    index766_load(content=INDEX766_FILE.read_bytes(), by=None)
    small = (
        HEADER
        + "g,G,10,a,A,6,dossiers_resolved_on_time,dossiers_resolved,\ng,G,10,b,B,4,ratings_satisfied,ratings_total,\n"
    )
    summary = index766_load(content=small, by=None)
    assert len(summary.removed) == 12 + 6 and IndexGroup.objects.get().indicators.count() == 2
