"""The demo tells the province's story: history from 2021, the 2025 reorganisation, and a
printed login for every step of a dossier's journey."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from egov.accounts.models import User
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.demo.loader import HISTORY_START, REORG_ON, demo_logins, load_demo
from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierState
from egov.dossiers.services import ApplicantIn, PaperIn
from egov.dossiers.workflow import Action, available_actions
from egov.orgs.models import Unit, UnitKind
from egov.orgs.selectors import unit_tree
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period

PER_YEAR = 120


def _kinds(nodes: list[Any]) -> Counter[str]:
    found: Counter[str] = Counter()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        found[node.unit.kind] += 1
        stack.extend(node.children)
    return found


@pytest.mark.django_db
def test_history_follows_the_calendar_and_the_reorganisation() -> None:
    load_demo(dossiers_per_year=PER_YEAR)
    dossiers = list(Dossier.objects.select_related("receiving_unit", "resolving_unit"))
    zone = timezone.get_current_timezone()
    reorg_at = dt.datetime.combine(REORG_ON, dt.time(), tzinfo=zone)
    assert min(d.received_at for d in dossiers) >= dt.datetime.combine(HISTORY_START, dt.time(), tzinfo=zone)
    # Receptions each full year in proportion to the years' lengths (the plan's volume, scaled).
    per_year = Counter(timezone.localtime(d.received_at).year for d in dossiers)
    for year in (2021, 2022, 2023, 2024):
        assert abs(per_year[year] - PER_YEAR) <= PER_YEAR * 0.05, (year, per_year)
    # Before 1 July 2025 the old units received and resolved, and every such dossier ended then.
    before = [d for d in dossiers if d.received_at < reorg_at]
    after = [d for d in dossiers if d.received_at >= reorg_at]
    assert before and after
    for d in before:
        assert d.receiving_unit.valid_to == REORG_ON and d.resolving_unit.valid_to == REORG_ON, d.code
        assert d.state not in (DossierState.PROCESSING, DossierState.SUPPLEMENT), d.code
        assert max(filter(None, (d.returned_at, d.terminated_at, d.resolved_at, d.received_at))) < reorg_at
    for d in after:
        assert d.receiving_unit.valid_to is None and d.resolving_unit.valid_to is None, d.code
        assert d.level in ("commune", "province"), d.code  # no district level any more

    # Procedures' levels follow: nothing published at the district level any more.
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    assert published.count() >= 40
    assert not [v.procedure.code for v in published if "district" in v.levels]
    assert Counter(d.level for d in after)["commune"] > len(after) * 0.7

    # The tree as of 2024 has three levels, as of today two.
    old = _kinds(unit_tree(as_of=dt.date(2024, 6, 1)))
    new = _kinds(unit_tree(as_of=timezone.localdate()))
    assert old[UnitKind.DISTRICT] == 15 and old[UnitKind.COMMUNE] == 143
    assert new[UnitKind.DISTRICT] == 0 and new[UnitKind.COMMUNE] == 102

    # II.06a of a new commune for 2024 is empty, unless its predecessors are included.
    ward = Unit.objects.get(gso_code="30742", kind=UnitKind.COMMUNE, valid_to__isnull=True)
    year_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    own = ii06a(unit=ward, period=year_2024).totals["received_total"]
    inherited = ii06a(unit=ward, period=year_2024, with_predecessors=True).totals["received_total"]
    assert own == 0 and inherited > 0

    # The back office home page shows the structure before the reorganisation and today.
    client = Client()
    sign_in(client, User.objects.get(username="chuyenvien.xa"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Cơ cấu tổ chức theo thời gian" in page
    assert "?as_of=2024-12-31" in page and "01/07/2025" in page
    tree_2024 = client.get(reverse("orgs:tree") + "?as_of=2024-12-31").content.decode()
    assert "Huyện Kiên Lương" in tree_2024 and "Tỉnh Kiên Giang" in tree_2024
    tree_today = client.get(reverse("orgs:tree")).content.decode()
    assert "Tỉnh An Giang" in tree_today and "Huyện Kiên Lương" not in tree_today


def _drive(dossier: Dossier, team: dict[str, User], counter: User) -> list[tuple[str, str]]:
    """Forward and decide with the printed people until the result is handed back."""
    done: list[tuple[str, str]] = []
    for _turn in range(12):
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.state == DossierState.RESOLVED:
            assert Action.RETURN in available_actions(counter, dossier)
            services.dossier_return(dossier=dossier, by=counter, received_by="Nguyễn Văn An")
            done.append(("return", counter.username))
            return done
        step = dossier.current_step
        assert step is not None
        actor = team[step.role]  # the printed login holding the step's role
        actions = available_actions(actor, dossier)
        if Action.DECIDE in actions:
            services.dossier_decide(dossier=dossier, outcome="approved", reason="", by=actor)
            done.append(("decide", actor.username))
        else:
            assert Action.FORWARD in actions, (step.role, actor.username, actions)
            services.step_forward(dossier=dossier, by=actor)
            done.append(("forward", actor.username))
    raise AssertionError(f"no result after {done}")


@pytest.mark.django_db
def test_the_printed_logins_carry_a_dossier_through_every_step() -> None:
    load_demo(dossiers_per_year=5)
    printed = {login.username for login in demo_logins()}
    users = {u.username: u for u in User.objects.filter(username__in=printed)}
    papers = [PaperIn("Tờ khai", originals=1)]
    applicant = ApplicantIn(
        kind="citizen", name="Nguyễn Văn An", id_number="091090123456", phone="0912345678"
    )
    journeys = {
        # (counter, procedure, level, resolving unit, team by role)
        "ward": ("motcua.xa", "1.001193", "commune", None, "xa"),
        "department": ("motcua.tinh", "1.004616", "province", "Sở Y tế", "syt"),
    }
    for counter_name, code, level, resolving_name, suffix in journeys.values():
        counter = users[counter_name]
        team = {
            "one_stop_officer": counter,
            "specialist": users[f"chuyenvien.{suffix}"],
            "head_of_division": users[f"truongphong.{suffix}"],
            "agency_leader": users[f"chutich.{suffix}" if suffix == "xa" else f"giamdoc.{suffix}"],
            "clerk": users[f"vanthu.{suffix}"],
        }
        version = ProcedureVersion.objects.get(procedure__code=code, status=VersionStatus.PUBLISHED)
        assert level in version.levels
        unit = Unit.objects.get(
            pk__in=[a.unit_id for a in counter.roles.all()], kind=UnitKind.ONE_STOP, valid_to__isnull=True
        )
        resolving = (
            Unit.objects.get(name=resolving_name, kind=UnitKind.DEPARTMENT, valid_to__isnull=True)
            if resolving_name
            else None
        )
        dossier = services.dossier_receive(
            unit=unit, version=version, channel="direct", applicant=applicant, papers=papers,
            return_method="counter", by=counter, resolving_unit=resolving,
        )  # fmt: skip
        done = _drive(dossier, team, counter)
        assert done[-1] == ("return", counter_name)
        assert any(kind == "decide" for kind, _who in done)
        assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RETURNED
        assert {who for _kind, who in done} <= printed
