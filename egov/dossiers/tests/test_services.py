from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditEvent
from egov.audit.services import audit_verify
from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierState, StepStatus, Timeliness
from egov.dossiers.selectors import dossier_get_for_user, inbox_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_receipt_gives_code_due_time_and_starts_the_process(receive: Any, province: Any) -> None:
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=VN)
    dossier = receive(received_at=friday)
    assert dossier.code == "000.11.00.T01-261120-0001"
    # One working day from Friday 10:00 is Monday 10:00.
    assert timezone.localtime(dossier.due_at) == dt.datetime(2026, 11, 23, 10, 0, tzinfo=VN)
    steps = list(dossier.steps.order_by("seq"))
    assert [(s.name, s.status) for s in steps] == [
        ("Tiếp nhận hồ sơ", StepStatus.DONE),
        ("Thẩm định, trình ký", StepStatus.ACTIVE),
    ]
    assert steps[1].unit == province.commune_a1.children.get(kind="committee")
    assert dossier.papers.count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.DOSSIER_RECEIVED, target_id=str(dossier.pk)).exists()
    assert audit_verify().ok


def test_codes_are_consecutive_per_agency_and_day(receive: Any, province: Any) -> None:
    day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    codes = [receive(received_at=day).code for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    assert receive(received_at=day + dt.timedelta(days=3)).code.endswith("261123-0001")


def test_a_failed_reception_leaves_no_gap(receive: Any) -> None:
    day = dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    receive(received_at=day)
    with pytest.raises(services.DossierError):
        receive(received_at=day, return_method="post", return_address=" ")
    assert receive(received_at=day).code.endswith("-0002")


def test_full_flow_forward_decide_return(
    receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    officer = personas["officer_a1"]
    services.step_forward(dossier=dossier, by=commune_staff["specialist"], note="Đủ điều kiện")
    dossier = services.dossier_decide(
        dossier=dossier, outcome="approved", reason="", by=commune_staff["agency_leader"]
    )
    assert dossier.state == DossierState.RESOLVED and dossier.timeliness in {
        Timeliness.EARLY,
        Timeliness.ON_TIME,
    }
    assert dossier.current_step.name == "Trả kết quả"
    with pytest.raises(services.DossierError):
        services.dossier_return(dossier=dossier, by=officer, received_by=" ")
    dossier = services.dossier_return(dossier=dossier, by=officer, received_by="Nguyễn Văn Bình")
    assert dossier.state == DossierState.RETURNED and dossier.current_step is None
    kinds = list(dossier.events.values_list("kind", flat=True))
    assert kinds[0] == "received" and kinds[-1] == "returned" and "decided" in kinds


def test_late_decision_is_late_even_after_an_extension(
    receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=10)
    dossier = receive(received_at=long_ago)
    services.dossier_extend(
        dossier=dossier,
        new_due_at=timezone.now() + dt.timedelta(days=5),
        reason="Chờ xác minh",
        by=personas["officer_a1"],
    )
    services.step_forward(dossier=dossier, by=commune_staff["specialist"])
    dossier = services.dossier_decide(
        dossier=dossier, outcome="approved", reason="", by=commune_staff["agency_leader"]
    )
    assert dossier.timeliness == Timeliness.LATE


def test_supplement_pauses_the_clock(receive: Any, personas: dict[str, Any]) -> None:
    officer = personas["officer_a1"]
    monday_9 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=VN)
    dossier = receive(received_at=monday_9)
    assert timezone.localtime(dossier.statutory_due_at) == dt.datetime(2026, 11, 17, 9, 0, tzinfo=VN)
    services.dossier_pause(
        dossier=dossier, kind="supplement", reason="Thiếu giấy", items="Giấy chứng sinh bản chính", by=officer
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUPPLEMENT
    pause = dossier.pauses.get()
    pause.started_at = monday_9 + dt.timedelta(hours=1)  # asked one office hour after receipt
    pause.save(update_fields=["started_at"])
    dossier = services.dossier_resume(dossier=dossier, by=officer)
    assert dossier.state == DossierState.PROCESSING
    # Seven office hours were left; they are counted again from the supplement (now).
    remaining = services.clock.legal_limit(dossier)
    assert remaining.amount == 1
    assert dossier.statutory_due_at > timezone.now()
    from egov.workcal import elapsed

    cal = services.clock.calendar_of(dossier)
    pause.refresh_from_db()
    used = elapsed(
        start=monday_9, end=dossier.statutory_due_at, cal=cal, pauses=[(pause.started_at, pause.ended_at)]
    )
    assert used == dt.timedelta(hours=8)


def test_actions_in_the_wrong_state_change_nothing(receive: Any, personas: dict[str, Any]) -> None:
    officer = personas["officer_a1"]
    dossier = receive()
    with pytest.raises(services.DossierError):
        services.dossier_resume(dossier=dossier, by=officer)
    with pytest.raises(services.DossierError):
        services.dossier_return(dossier=dossier, by=officer, received_by="X")
    services.dossier_withdraw(dossier=dossier, reason="Công dân xin rút", by=officer)
    with pytest.raises(services.DossierError):
        services.step_forward(dossier=dossier, by=officer)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.WITHDRAWN


def test_procedure_not_handled_at_this_level_is_refused(receive: Any, province: Any) -> None:
    from egov.accounts import services as accounts

    district_one_stop = province.district_a.children.get(kind="committee").children.get(kind="one_stop")
    officer = accounts.user_create(username="motcua.huyen", full_name="Một cửa huyện", by=None)
    accounts.role_grant(user=officer, unit=district_one_stop, role="one_stop_officer", by=None)
    with pytest.raises(services.DossierError) as caught:
        receive(unit=district_one_stop, by=officer)
    assert caught.value.field == "procedure"
    assert not Dossier.objects.exists()


def test_officers_see_only_their_units(receive: Any, personas: dict[str, Any]) -> None:
    from django.http import Http404

    dossier = receive()
    assert dossier_get_for_user(user=personas["officer_a1"], pk=dossier.pk) == dossier
    with pytest.raises(Http404):  # administering staff gives no sight of dossiers
        dossier_get_for_user(user=personas["unit_admin_a"], pk=dossier.pk)
    with pytest.raises(Http404):
        dossier_get_for_user(user=personas["officer_b1"], pk=dossier.pk)
    with pytest.raises(Http404):
        dossier_get_for_user(user=personas["citizen"], pk=dossier.pk)


def test_inbox_shows_steps_waiting_for_my_role(receive: Any, personas: dict[str, Any], province: Any) -> None:
    from egov.accounts import services as accounts

    specialist = accounts.user_create(username="cv.a1", full_name="Chuyên viên", by=None)
    committee = province.commune_a1.children.get(kind="committee")
    accounts.role_grant(user=specialist, unit=committee, role="specialist", by=None)
    dossier = receive()
    assert list(inbox_for(specialist)) == [dossier]
    assert list(inbox_for(personas["officer_b1"])) == []


def test_overdue_sweep_marks_once(receive: Any) -> None:
    dossier = receive(received_at=timezone.now() - dt.timedelta(days=10))
    assert services.overdue_sweep() == 1
    assert services.overdue_sweep() == 0
    assert dossier.events.filter(kind="overdue").count() == 1


def test_scheduler_once_marks_overdue_dossiers(receive: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from egov.cli import main as egov_main

    receive(received_at=timezone.now() - dt.timedelta(days=10))
    assert egov_main(["scheduler", "--once"]) == 0
    assert "'overdue_marked': 1" in capsys.readouterr().out
    assert egov_main(["scheduler", "--once"]) == 0
    assert "'overdue_marked': 0" in capsys.readouterr().out


def test_online_submission_waits_for_acceptance_then_starts_the_clock(
    procedure: Any, province: Any, personas: dict[str, Any]
) -> None:
    from conftest import APPLICANT, PAPERS

    citizen = personas["citizen"]
    dossier = services.dossier_register_online(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="online",
        applicant_user=citizen,
        intake_token="t-1",
    )
    assert dossier.state == DossierState.REGISTERED and dossier.due_at is None and dossier.code
    again = services.dossier_register_online(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        papers=PAPERS,
        return_method="online",
        applicant_user=citizen,
        intake_token="t-1",
    )
    assert again.pk == dossier.pk and Dossier.objects.count() == 1
    dossier = services.dossier_accept(dossier=dossier, by=personas["officer_a1"])
    assert dossier.state == DossierState.PROCESSING and dossier.due_at is not None
    assert dossier.current_step.name == "Thẩm định, trình ký"
    with pytest.raises(services.DossierError):
        services.dossier_accept(dossier=dossier, by=personas["officer_a1"])
