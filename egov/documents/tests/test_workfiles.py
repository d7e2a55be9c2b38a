"""Work files: the yearly file plan, opening, filing and removing documents, closing with the
transfer date, legal hold, the transfer warning sweep, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext

from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import Document, FilePlanEntry, WorkFile, WorkFileItem, WorkFileState
from egov.documents.permissions import work_files_visible_to
from egov.documents.services.workfiles import add_months
from egov.documents.tests.conftest import Office
from egov.documents.workflow import Action, available_actions
from egov.notifications.models import Notification

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


def plan_line(office: Office, code: str = "01.VP", **kw: Any) -> FilePlanEntry:
    c = office.committee
    values: dict[str, Any] = {
        "unit": c.unit,
        "year": timezone.localdate().year,
        "code": code,
        "title": "Hồ sơ chuyển đổi số năm nay",
        "retention": "10",
        "by": c.clerk,
    }
    values.update(kw)
    return services.file_plan_entry_save(**values)


@pytest.fixture
def open_file(office: Office) -> WorkFile:
    return services.work_file_open(
        unit=office.committee.unit, plan_entry=plan_line(office), by=office.committee.clerk
    )


def test_plan_lines_are_unique_per_unit_and_year(office: Office) -> None:
    line = plan_line(office)
    assert AuditEntry.objects.filter(event=AuditEvent.WORK_FILE_CHANGED, target_id=str(line.pk)).exists()
    with pytest.raises(DocumentError) as caught:
        plan_line(office, code="01.vp")
    assert caught.value.field == "code"
    assert FilePlanEntry.objects.count() == 1
    # The same code the next year, or in another unit, is another line.
    plan_line(office, year=timezone.localdate().year + 1)
    plan_line(office, unit=office.committee.division, by=office.committee.head)
    assert FilePlanEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "01 VP"}, "code"),
        ({"code": "01\n02"}, "code"),
        ({"code": "-01"}, "code"),
        ({"code": "01×2"}, "code"),
        ({"code": "X" * 21}, "code"),
        ({"code": ""}, "code"),
        ({"title": "   "}, "title"),
        ({"title": "T" * 501}, "title"),
        ({"retention": "3"}, "retention"),
        ({"year": 1990}, "year"),
    ],
)
def test_bad_plan_lines_are_refused_on_their_field(
    office: Office, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        plan_line(office, **changes)
    assert caught.value.field == field
    assert not FilePlanEntry.objects.exists()


def test_only_heads_leaders_and_clerks_keep_the_plan(office: Office) -> None:
    with pytest.raises(ActionForbidden):
        plan_line(office, by=office.committee.specialist)
    with pytest.raises(ActionForbidden):
        plan_line(office, by=office.department.clerk)
    assert plan_line(office, by=office.committee.leader).pk


def test_a_line_with_a_file_keeps_its_code(office: Office, open_file: WorkFile) -> None:
    line = open_file.plan_entry
    assert line is not None
    changed = plan_line(office, entry=line, code=line.code, title="Tiêu đề mới")
    assert changed.title == "Tiêu đề mới"
    with pytest.raises(DocumentError):
        plan_line(office, entry=line, code="02.VP")


def test_opening_from_a_plan_line_builds_the_annex_vi_code(office: Office, open_file: WorkFile) -> None:
    # Without an electronic identifier the agency's abbreviation stands in.
    assert open_file.code == f"UBND.{YEAR}.01.VP"
    unit = office.committee.unit
    type(unit).objects.filter(pk=unit.pk).update(agency_code="000.00.00.H53")
    second = services.work_file_open(
        unit=office.committee.division, notation="02.VP", title="T", retention="5", by=office.committee.head
    )
    assert second.code == f"000.00.00.H53.{YEAR}.02.VP"
    assert len(open_file.code) <= 40
    assert (open_file.title, open_file.retention, open_file.state) == (
        "Hồ sơ chuyển đổi số năm nay",
        "10",
        WorkFileState.OPEN,
    )
    assert open_file.owner == office.committee.clerk
    # The same line cannot be opened twice: the code is unique within the agency.
    with pytest.raises(DocumentError) as caught:
        services.work_file_open(
            unit=office.committee.unit, plan_entry=open_file.plan_entry, by=office.committee.clerk
        )
    assert caught.value.field == "plan_entry"


def test_ad_hoc_files_and_their_bad_input(office: Office) -> None:
    c = office.committee
    f = services.work_file_open(
        unit=c.division, notation="TT.01", title="Thanh tra công vụ", retention="permanent", by=c.specialist
    )
    assert f.code.endswith(f".{YEAR}.TT.01") and f.owner == c.specialist
    vietnamese = services.work_file_open(
        unit=c.division, notation="TĐ_01/VP", title="Thi đua", retention="5", by=c.specialist
    )
    assert vietnamese.code.endswith(f".{YEAR}.TĐ_01/VP")
    with pytest.raises(DocumentError) as caught:
        services.work_file_open(unit=c.division, notation="X" * 21, title="T", retention="5", by=c.specialist)
    assert caught.value.field == "code"
    with pytest.raises(DocumentError) as caught:
        services.work_file_open(unit=c.division, notation="A1", title="", retention="5", by=c.specialist)
    assert caught.value.field == "title"
    with pytest.raises(ActionForbidden):
        services.work_file_open(unit=c.division, notation="A2", title="T", retention="5", by=office.outsider)
    # The auditor reads, never acts.
    with pytest.raises(ActionForbidden):
        services.work_file_open(unit=c.division, notation="A3", title="T", retention="5", by=office.admin)
    assert WorkFile.objects.count() == 2


def test_too_long_agency_code_is_refused(office: Office) -> None:
    unit = office.committee.unit
    type(unit).objects.filter(pk=unit.pk).update(agency_code="A" * 30)
    unit.refresh_from_db()
    with pytest.raises(DocumentError) as caught:
        services.work_file_open(
            unit=unit, notation="0123456789", title="T", retention="5", by=office.committee.clerk
        )
    assert caught.value.field == "code"


def test_documents_are_filed_in_order_and_shared_without_copies(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    c = office.committee
    a = registered().document
    b = registered(number="55", notation="UBND-VP", issuer_name="UBND huyện A").document
    services.work_file_add_document(work_file=open_file, document=b, by=c.clerk)
    services.work_file_add_document(work_file=open_file, document=a, by=c.clerk)
    assert list(open_file.items.values_list("document_id", flat=True)) == [b.pk, a.pk]
    other = services.work_file_open(unit=c.unit, notation="02", title="Khác", retention="5", by=c.clerk)
    services.work_file_add_document(work_file=other, document=a, by=c.clerk)
    assert Document.objects.count() == 2
    assert WorkFileItem.objects.filter(document=a).count() == 2
    with pytest.raises(DocumentError) as caught:
        services.work_file_add_document(work_file=open_file, document=a, by=c.clerk)
    assert caught.value.field == "document"


def test_a_document_the_person_cannot_see_is_not_found(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    elsewhere = registered(office.commune).document
    with pytest.raises(services.DocumentNotFound):
        services.work_file_add_document(work_file=open_file, document=elsewhere, by=office.committee.clerk)
    assert not open_file.items.exists()


def test_people_outside_the_file_may_not_file_into_it(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    doc = registered().document
    for person in (office.committee.specialist, office.department.clerk, office.outsider):
        with pytest.raises(ActionForbidden):
            services.work_file_add_document(work_file=open_file, document=doc, by=person)
    # The leader heads the unit: may file into anyone's file of it.
    services.work_file_add_document(work_file=open_file, document=doc, by=office.committee.leader)


def test_removing_a_document_is_audited_and_keeps_the_document(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    c = office.committee
    doc = registered().document
    services.work_file_add_document(work_file=open_file, document=doc, by=c.clerk)
    services.work_file_remove_document(work_file=open_file, document=doc, by=c.clerk, reason="nhầm hồ sơ")
    assert not open_file.items.exists()
    assert Document.objects.filter(pk=doc.pk).exists()
    entry = AuditEntry.objects.filter(event=AuditEvent.WORK_FILE_CHANGED).latest("seq")
    assert entry.after["change"] == "document_removed" and entry.after["document"] == doc.pk
    with pytest.raises(DocumentError):
        services.work_file_remove_document(work_file=open_file, document=doc, by=c.clerk)


def test_closing_sets_the_transfer_date_and_freezes_the_file(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    c = office.committee
    with pytest.raises(DocumentError):
        services.work_file_close(work_file=open_file, by=c.clerk)  # empty
    doc = registered().document
    services.work_file_add_document(work_file=open_file, document=doc, by=c.clerk)
    with pytest.raises(DocumentError) as caught:
        services.work_file_close(
            work_file=open_file, by=c.clerk, closed_on=open_file.opened_on - dt.timedelta(days=1)
        )
    assert caught.value.field == "closed_on"
    closed = services.work_file_close(work_file=open_file, by=c.clerk)
    today = timezone.localdate()
    assert (closed.state, closed.closed_on, closed.transfer_due_on) == (
        WorkFileState.CLOSED,
        today,
        add_months(today, 12),
    )
    other = registered(number="56", notation="UBND-VP", issuer_name="UBND huyện B").document
    with pytest.raises(WrongState):
        services.work_file_add_document(work_file=closed, document=other, by=c.clerk)
    with pytest.raises(WrongState):
        services.work_file_remove_document(work_file=closed, document=doc, by=c.clerk)


@override_settings(EGOV_ARCHIVE_TRANSFER_MONTHS=6)
def test_the_transfer_delay_is_a_setting(office: Office, registered: Any, open_file: WorkFile) -> None:
    services.work_file_add_document(
        work_file=open_file, document=registered().document, by=office.committee.clerk
    )
    closed = services.work_file_close(work_file=open_file, by=office.committee.clerk)
    assert closed.transfer_due_on == add_months(timezone.localdate(), 6)


def test_add_months_keeps_the_end_of_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 12) == dt.date(2028, 12, 15)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


def test_legal_hold_freezes_the_file_and_its_documents(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    c = office.committee
    doc = registered().document
    services.work_file_add_document(work_file=open_file, document=doc, by=c.clerk)
    other = services.work_file_open(unit=c.unit, notation="02", title="Khác", retention="5", by=c.clerk)
    services.work_file_add_document(work_file=other, document=doc, by=c.clerk)
    with pytest.raises(ActionForbidden):
        services.work_file_hold(work_file=open_file, reason="Thanh tra", by=c.clerk)
    with pytest.raises(DocumentError) as caught:
        services.work_file_hold(work_file=open_file, reason="  ", by=c.leader)
    assert caught.value.field == "reason"
    services.work_file_hold(work_file=open_file, reason="Thanh tra tỉnh", by=c.leader)
    services.work_file_hold(work_file=other, reason="Vụ án", by=office.admin)
    doc.refresh_from_db()
    assert doc.legal_hold
    with pytest.raises(WrongState) as held:
        services.work_file_add_document(work_file=open_file, document=doc, by=c.clerk)
    assert str(held.value) == gettext("The work file is under legal hold: it cannot change.")
    with pytest.raises(WrongState):
        services.work_file_close(work_file=open_file, by=c.clerk)
    with pytest.raises(WrongState):
        services.work_file_hold(work_file=open_file, reason="again", by=c.leader)
    services.work_file_release(work_file=open_file, reason="Kết thúc thanh tra", by=c.leader)
    doc.refresh_from_db()
    assert doc.legal_hold  # still in the other held file
    services.work_file_release(work_file=other, reason="Xong", by=office.admin)
    doc.refresh_from_db()
    assert not doc.legal_hold
    events = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_HOLD).order_by("seq")
    assert [e.after["hold"] for e in events] == [True, True, False, False]


def _closed(office: Office, registered: Any, open_file: WorkFile, closed_on: dt.date) -> WorkFile:
    c = office.committee
    WorkFile.objects.filter(pk=open_file.pk).update(opened_on=closed_on)
    open_file.refresh_from_db()
    services.work_file_add_document(work_file=open_file, document=registered().document, by=c.clerk)
    return services.work_file_close(work_file=open_file, by=c.clerk, closed_on=closed_on)


def test_transfer_warning_sweep_flags_once_and_tells_the_owner(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    type(office.committee.clerk).objects.filter(pk=office.committee.clerk.pk).update(
        email="vanthu@example.vn"
    )
    today = timezone.localdate()
    f = _closed(office, registered, open_file, today - dt.timedelta(days=345))
    assert f.transfer_due_on is not None and f.transfer_due_on <= today + dt.timedelta(days=30)
    assert services.transfer_warnings_sweep() == 1
    assert services.transfer_warnings_sweep() == 0
    f.refresh_from_db()
    assert f.transfer_warned_at is not None
    note = Notification.objects.get(kind="documents.work_file_transfer_due")
    assert f.code in note.subject and note.deliveries.get().recipient == "vanthu@example.vn"
    assert (
        AuditEntry.objects.filter(event=AuditEvent.WORK_FILE_CHANGED, after__change="transfer_warned").count()
        == 1
    )


def test_sweep_leaves_files_far_from_their_transfer(
    office: Office, registered: Any, open_file: WorkFile
) -> None:
    _closed(office, registered, open_file, timezone.localdate() - dt.timedelta(days=30))
    assert services.transfer_warnings_sweep() == 0
    assert services.transfer_warnings_sweep(today=timezone.localdate() + dt.timedelta(days=320)) == 1


def test_visibility_follows_the_unit(office: Office, open_file: WorkFile) -> None:
    c = office.committee
    division_file = services.work_file_open(
        unit=c.division, notation="VP.1", title="Phòng", retention="5", by=c.specialist
    )
    assert set(work_files_visible_to(c.leader)) == {open_file, division_file}
    assert set(work_files_visible_to(c.specialist)) == {division_file}
    assert set(work_files_visible_to(office.admin)) == {open_file, division_file}
    assert not work_files_visible_to(office.department.clerk).exists()
    assert not work_files_visible_to(office.outsider).exists()


def test_available_actions_come_from_the_table(office: Office, registered: Any, open_file: WorkFile) -> None:
    c = office.committee
    assert available_actions(c.clerk, open_file) == [Action.FILE_ADD, Action.FILE_REMOVE, Action.FILE_CLOSE]
    assert available_actions(c.leader, open_file) == [
        Action.FILE_ADD,
        Action.FILE_REMOVE,
        Action.FILE_CLOSE,
        Action.FILE_HOLD,
    ]
    assert available_actions(office.admin, open_file) == [Action.FILE_HOLD]
    assert available_actions(c.specialist, c.division) == [Action.FILE_OPEN]
    assert available_actions(c.head, c.division) == [Action.PLAN_EDIT, Action.FILE_OPEN]
    assert available_actions(office.outsider, c.division) == []


def test_the_scheduler_pass_runs_the_transfer_warnings(
    office: Office, registered: Any, open_file: WorkFile, capsys: pytest.CaptureFixture[str]
) -> None:
    from egov.cli import main as egov_main

    _closed(office, registered, open_file, timezone.localdate() - dt.timedelta(days=350))
    assert egov_main(["scheduler", "--once"]) == 0
    assert "'work_files_transfer_warned': 1" in capsys.readouterr().out
    open_file.refresh_from_db()
    assert open_file.transfer_warned_at is not None
