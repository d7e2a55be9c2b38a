from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from egov.accounts.models import Role, User
from egov.accounts.services import role_grant
from egov.audit.models import AuditEntry
from egov.audit.services import audit_verify
from egov.core.idnumbers import validate_id_number
from egov.dossiers import clock
from egov.dossiers.events import EVENT_LABELS
from egov.dossiers.models import (
    OPEN_STATES,
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierState,
    DossierStep,
    Pause,
    StepStatus,
)
from egov.dossiers.services import ApplicantIn, PaperIn, _timeliness, dossier_receive
from egov.synthetic.generate import (
    ChannelInfo,
    PaperTemplate,
    StepTemplate,
    UnitInfo,
    VersionInfo,
    assign_codes,
    plan_history,
)
from egov.workcal import Calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4,}$")


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_history_looks_real_and_keeps_the_rules() -> None:
    from egov.accounts.services import user_create
    from egov.demo.loader import load_reference
    from egov.synthetic.generate import generate_history

    # The demo itself now writes years of history with the bulk generator (egov.synthetic.bulk);
    # this planner is still what both use, tested here on the 2021 province.
    admin = user_create(username="admin", full_name="Quản trị", by=None, is_demo=True)
    load_reference(by=admin)
    generate_history(dossiers=2000, seed=2021, by=admin)
    now = timezone.now()
    dossiers = list(Dossier.objects.all())
    assert len(dossiers) >= 2000

    # Codes: unique, national format, consecutive per agency and day, counters at the last number.
    codes = [d.code for d in dossiers]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(c) for c in codes)
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for code in codes:
        agency, day, number = code.rsplit("-", 2)
        numbers[(agency, day)].append(int(number))
    for key, used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1)), key
    counters = {(c.agency_code, f"{c.day:%y%m%d}"): c.last for c in DailyCounter.objects.all()}
    assert {k: max(v) for k, v in numbers.items()} == counters

    # Distributions.
    levels = Counter(d.level for d in dossiers)
    assert 0.4 <= levels["commune"] / len(dossiers) <= 0.6
    assert 0.3 <= levels["district"] / len(dossiers) <= 0.46
    assert 0.07 <= levels["province"] / len(dossiers) <= 0.17
    resolved = [d for d in dossiers if d.state in (DossierState.RESOLVED, DossierState.RETURNED)]
    on_time = sum(d.timeliness in ("early", "on_time") for d in resolved)
    assert 0.75 <= on_time / len(resolved) <= 0.90
    states = Counter(d.state for d in dossiers)
    assert states[DossierState.RETURNED] / len(dossiers) > 0.65
    for state in ("processing", "resolved", "supplement", "refused", "withdrawn", "stopped"):
        assert states[state] > 0, state
    channels = Counter(d.channel for d in dossiers)
    assert channels["online"] > 0.15 * len(dossiers) and channels["postal"] > 0
    overdue = [d for d in dossiers if d.state == DossierState.PROCESSING and d.due_at < now]
    assert 5 <= len(overdue) < states[DossierState.PROCESSING] / 2
    assert all(d.received_at <= now for d in dossiers)
    assert min(d.received_at for d in dossiers) >= now - dt.timedelta(days=152)

    # Steps: one active step for every open dossier, and current_step points at it.
    active: dict[int, list[DossierStep]] = defaultdict(list)
    for step in DossierStep.objects.filter(status=StepStatus.ACTIVE):
        active[step.dossier_id].append(step)
    for d in dossiers:
        if d.state in OPEN_STATES:
            assert len(active[d.pk]) == 1, d.code
            assert d.current_step_id == active[d.pk][0].pk, d.code
        elif d.state != DossierState.RESOLVED:
            assert not active[d.pk], d.code
    steps_by_dossier: dict[int, list[DossierStep]] = defaultdict(list)
    for step in DossierStep.objects.order_by("dossier_id", "seq"):
        steps_by_dossier[step.dossier_id].append(step)
    for d in dossiers:
        steps = steps_by_dossier[d.pk]
        assert [s.seq for s in steps] == list(range(1, len(steps) + 1))
        assert (d.state == DossierState.REFUSED) == (not steps)
        for before, after in itertools.pairwise(steps):
            assert before.finished_at is not None and before.finished_at <= after.started_at
        for s in steps:
            assert s.started_at >= d.received_at and (s.finished_at is None or s.finished_at >= s.started_at)
            if s.finished_at is not None:
                assert s.timeliness == _timeliness(s.due_at, s.finished_at)

    # Pauses: open ones only while waiting for a supplement, at most one per dossier.
    open_pauses = Counter(Pause.objects.filter(ended_at__isnull=True).values_list("dossier_id", flat=True))
    waiting = {d.pk for d in dossiers if d.state == DossierState.SUPPLEMENT}
    assert set(open_pauses) == waiting and set(open_pauses.values()) == {1}
    assert Pause.objects.filter(ended_at__isnull=False).count() > 0.05 * len(resolved)

    # Legal due times and timeliness are what the clock and the services would compute.
    by_pk = {d.pk: d for d in dossiers}
    sample = Dossier.objects.filter(pk__in=[d.pk for d in resolved[::25]]).select_related(
        "procedure_version", "receiving_unit"
    )
    for d in sample:
        assert d.statutory_due_at == clock.statutory_due(d, list(d.pauses.all())), d.code
        assert d.timeliness == _timeliness(d.statutory_due_at, d.resolved_at)
        assert d.resolved_at <= (d.returned_at or now)
        assert by_pk[d.pk].due_at >= d.statutory_due_at

    # Timeline: known kinds, in the past, coherent with the state.
    kinds: dict[int, set[str]] = defaultdict(set)
    for dossier_id, kind, at in DossierEvent.objects.values_list("dossier_id", "kind", "at"):
        assert kind in EVENT_LABELS and at <= now
        kinds[dossier_id].add(kind)
    for d in dossiers:
        expected = {
            DossierState.REFUSED: {"refused"},
            DossierState.RETURNED: {"received", "decided", "returned"},
            DossierState.RESOLVED: {"received", "decided"},
            DossierState.SUPPLEMENT: {"received", "supplement_requested"},
            DossierState.WITHDRAWN: {"received", "withdrawn"},
            DossierState.STOPPED: {"received", "stopped"},
        }.get(d.state, {"received"})
        assert expected <= kinds[d.pk], (d.code, kinds[d.pk])
        ended = d.state in (DossierState.WITHDRAWN, DossierState.STOPPED)
        assert (d.terminated_at is not None) == ended and (
            not ended or d.received_at < d.terminated_at <= now
        )

    # One audit entry for the whole history, and the chain still verifies.
    assert AuditEntry.objects.filter(event="demo.history_generated").count() == 1
    assert audit_verify().ok

    # A real reception afterwards continues the sequence without collision.
    (agency, day), used = max(numbers.items(), key=lambda item: (len(item[1]), item[0]))
    same_day = next(d for d in dossiers if d.code.startswith(f"{agency}-{day}-"))
    unit, version = same_day.receiving_unit, same_day.procedure_version
    # Receiving is a one-stop officer's act at their own counter (egov.dossiers.workflow).
    admin = User.objects.get(username="admin")
    role_grant(user=admin, unit=unit, role=Role.ONE_STOP_OFFICER, by=None)
    admin = User.objects.get(pk=admin.pk)
    applicant = ApplicantIn(kind="citizen", name="Trần Thị Mai", id_number="091000000001")
    papers = [PaperIn("Tờ khai", originals=1)]
    later = timezone.localtime(same_day.received_at).replace(hour=16, minute=50)
    real = dossier_receive(
        unit=unit, version=version, channel="direct", applicant=applicant, papers=papers,
        return_method="counter", by=admin, received_at=later,
    )  # fmt: skip
    assert real.code == f"{agency}-{day}-{len(used) + 1:04d}"
    today = dossier_receive(
        unit=unit, version=version, channel="direct", applicant=applicant, papers=papers,
        return_method="counter", by=admin,
    )  # fmt: skip
    today_key = (agency, f"{timezone.localtime():%y%m%d}")
    assert today.code == f"{agency}-{today_key[1]}-{len(numbers.get(today_key, [])) + 1:04d}"
    assert Dossier.objects.filter(code__in=[real.code, today.code]).count() == 2


def _inputs() -> tuple[list[UnitInfo], list[VersionInfo]]:
    cal = Calendar()
    units = [
        UnitInfo(pk=1, level="province", committee_pk=11, agency_code="000.00.00.T01",
                 areas=(("Phường Một", "Thành phố Hai"),), weight=1.0, calendar=cal),
        UnitInfo(pk=2, level="district", committee_pk=12, agency_code="000.00.30.T01",
                 areas=(("Xã Ba", "Huyện Bốn"),), weight=1.0, calendar=cal),
        UnitInfo(pk=3, level="commune", committee_pk=13, agency_code="001.30.00.T01",
                 areas=(("Xã Ba", "Huyện Bốn"),), weight=1.0, calendar=cal),
    ]  # fmt: skip
    steps = tuple(
        StepTemplate(i, name, role, amount, "working_hours")
        for i, (name, role, amount) in enumerate(
            [("Tiếp nhận", "one_stop_officer", 1), ("Thẩm định", "specialist", 4),
             ("Ký", "agency_leader", 2), ("Trả kết quả", "one_stop_officer", 1)],
            start=1,
        )
    )  # fmt: skip
    versions = [
        VersionInfo(
            pk=10 + n, code=f"1.00000{n}", levels=("province", "district", "commune"),
            applicant_types=("citizen", "business"), cutoff=dt.time(15) if n % 2 else None,
            supplement_mode="restart" if n == 2 else "pause",
            channels=(ChannelInfo("direct", n, "working_days", 0), ChannelInfo("online", n, "working_days", 0),
                      ChannelInfo("postal", 30, "calendar_days", 10000)),
            steps=(("commune", steps), ("district", steps), ("province", steps)),
            papers=(PaperTemplate("Tờ khai", 1, 0, 0), PaperTemplate("Giấy tờ tùy thân", 0, 1, 0)),
        )
        for n in (1, 2, 3)
    ]  # fmt: skip
    return units, versions


def test_plan_is_deterministic_for_a_seed() -> None:
    units, versions = _inputs()
    end = dt.datetime(2026, 11, 27, 10, 0, tzinfo=VN)
    first = plan_history(count=300, seed=7, units=units, versions=versions, end=end)
    second = plan_history(count=300, seed=7, units=units, versions=versions, end=end)
    assert [dataclasses.asdict(p) for p in first] == [dataclasses.asdict(p) for p in second]
    other = plan_history(count=300, seed=8, units=units, versions=versions, end=end)
    assert [p.applicant_name for p in other] != [p.applicant_name for p in first]

    assert assign_codes(first, {}) == assign_codes(second, {})
    assert [p.code for p in first] == [p.code for p in second]
    assert all(p.received_at < end and all(e.at <= end for e in p.events) for p in first)
    assert all(re.fullmatch(r"[0-9A-F]{8}", p.lookup_secret) for p in first)
    citizens = [p for p in first if p.applicant_kind == "citizen"]
    assert citizens and all(re.fullmatch(r"091\d{9}", p.applicant_id_number) for p in citizens)
    assert all(re.fullmatch(r"09\d{8}", p.applicant_phone) for p in first)


def test_every_generated_citizen_id_number_passes_the_id_check() -> None:
    """The history's people carry numbers the forms and the API accept: before, ``091`` + 9 random
    digits often decoded to a year of birth in the future (``0912345…`` is born in 2034)."""
    units, versions = _inputs()
    end = dt.datetime(2026, 11, 2, 17, tzinfo=VN)
    plans = plan_history(count=2000, seed=11, units=units, versions=versions, end=end)
    people = [p for p in plans if p.applicant_kind in ("citizen", "household_business")]
    assert len(people) > 1000
    for plan in people:
        number = plan.applicant_id_number
        validate_id_number(number)
        assert len(number) == 12 and number[:3] == "091"
        born = (2000 if number[3] in "23" else 1900) + int(number[4:6])
        assert born + 18 <= plan.received_at.year


def test_codes_continue_after_existing_counters() -> None:
    units, versions = _inputs()
    end = dt.datetime(2026, 11, 27, 10, 0, tzinfo=VN)
    plans = plan_history(count=200, seed=3, units=units, versions=versions, end=end)
    first = min(plans, key=lambda p: p.received_at)
    day = timezone.localtime(first.received_at).date()
    used = assign_codes(plans, {(first.agency_code, day): 5})
    assert first.code == f"{first.agency_code}-{day:%y%m%d}-0006"
    same = sorted(int(p.code[-4:]) for p in plans if p.code.startswith(f"{first.agency_code}-{day:%y%m%d}-"))
    assert same == list(range(6, 6 + len(same)))
    assert used[(first.agency_code, day)] == same[-1]


def test_the_shared_test_applicant_has_a_valid_id_number() -> None:
    """The fixtures' applicant (conftest ``APPLICANT``) was born in 2034 by its old number."""
    from conftest import APPLICANT

    validate_id_number(APPLICANT.id_number)
