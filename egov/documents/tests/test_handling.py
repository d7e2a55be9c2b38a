"""The leader's direction, forwarding, notes, extensions, completion, delegation and the watch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Direction,
    DocumentProfile,
    Entry,
    EntryState,
    ExtensionState,
    FileRole,
)
from egov.documents.selectors import handler_assignments, leader_queue
from egov.documents.services.common import working_days_due
from egov.documents.services.sweeps import deadline_warning_sweep, overdue_sweep, submission_clock_sweep
from egov.documents.tests.conftest import Office, pdf_upload
from egov.notifications.models import StaffMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(office: Office, registered: Any) -> Entry:
    entry = registered()
    return services.entry_submit(entry=entry, leader=office.committee.leader, by=office.committee.clerk)


def _direct(office: Office, entry: Entry, **kwargs: Any) -> Any:
    c = office.committee
    values: dict[str, Any] = {"text": "Giao Văn phòng chủ trì", "lead": c.division, "due": 5, "by": c.leader}
    values.update(kwargs)
    return services.entry_direct(entry=entry, **values)


def test_direction_assigns_lead_co_and_informed_with_a_statutory_deadline(
    office: Office, submitted: Entry
) -> None:
    c = office.committee
    direction = _direct(
        office, submitted, co_handlers=[c.specialist], informed=[office.department.unit], due=5
    )
    submitted.refresh_from_db()
    assert submitted.state == EntryState.IN_PROGRESS
    expected = working_days_due(agency=c.unit, start=direction.at, days=5)
    assert abs((submitted.due_at - expected).total_seconds()) < 60
    roles = dict(direction.assignments.values_list("role", "state"))
    assert roles == {
        r: AssignmentState.PENDING for r in (AssignmentRole.LEAD, AssignmentRole.CO, AssignmentRole.INFORM)
    }
    assert direction.assignments.get(role=AssignmentRole.INFORM).due_at is None
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_DIRECTED).count() == 1
    # The head of the division (lead) and the co-handler are told; the link is the entry page.
    message = StaffMessage.objects.get(recipient=c.head)
    assert message.link == submitted.get_absolute_url()
    assert StaffMessage.objects.filter(recipient=c.specialist).exists()
    assert handler_assignments(c.head, role=AssignmentRole.LEAD).count() == 1


def test_only_for_information_files_the_entry(office: Office, submitted: Entry) -> None:
    _direct(office, submitted, lead=None, informed=[office.committee.division], due=None)
    submitted.refresh_from_db()
    assert submitted.state == EntryState.FILED
    assert submitted.due_at is None


def test_a_date_deadline_is_the_close_of_that_day(office: Office, submitted: Entry) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    direction = _direct(office, submitted, due=day)
    assert timezone.localtime(direction.due_at).date() == day


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"due": dt.date(2020, 1, 1)}, "due"),
        ({"due": 0}, "due"),
        ({"lead": "two"}, "lead"),
        ({"lead": None, "co_handlers": "spec"}, "lead"),
        ({"lead": "outside"}, "lead"),
        ({"co_handlers": "outsider"}, "co_handlers"),
        ({"co_handlers": "lead_again"}, "co_handlers"),
    ],
)
def test_bad_directions_are_refused_in_vietnamese_and_write_nothing(
    office: Office, submitted: Entry, kwargs: dict[str, Any], field: str
) -> None:
    c = office.committee
    named = {
        "two": [c.division, c.specialist],
        "spec": [c.specialist],
        "outside": office.commune.division,
        "outsider": [office.outsider],
        "lead_again": [c.division],
    }
    values = {k: named.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(DocumentError) as caught:
        _direct(office, submitted, **values)
    assert caught.value.field == field
    assert Direction.objects.count() == 0 and Assignment.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.state == EntryState.SUBMITTED


def test_deadline_before_today_message_is_vietnamese(office: Office, submitted: Entry) -> None:
    from django.utils import translation

    with translation.override("vi"), pytest.raises(DocumentError) as caught:
        _direct(office, submitted, due=timezone.localdate() - dt.timedelta(days=1))
    assert "trước ngày hôm nay" in str(caught.value)


def test_only_the_leader_directs(office: Office, submitted: Entry) -> None:
    with pytest.raises(ActionForbidden):
        _direct(office, submitted, by=office.committee.specialist)
    _direct(office, submitted)
    with pytest.raises(WrongState):
        _direct(office, submitted)


def test_head_forwards_within_the_parent_deadline(office: Office, submitted: Entry) -> None:
    c = office.committee
    direction = _direct(office, submitted, due=5)
    lead = direction.assignments.get(role=AssignmentRole.LEAD)
    with pytest.raises(DocumentError) as caught:
        services.assignment_forward(assignment=lead, text="", lead=c.specialist, due=20, by=c.head)
    assert caught.value.field == "due" and "cấp trên" in str(caught.value)
    with pytest.raises(DocumentError) as outside:
        services.assignment_forward(assignment=lead, text="", lead=office.department.specialist, by=c.head)
    assert outside.value.field == "lead"
    with pytest.raises(ActionForbidden):
        services.assignment_forward(assignment=lead, text="", lead=c.specialist, by=c.specialist)
    child = services.assignment_forward(assignment=lead, text="Em xử lý", lead=c.specialist, due=2, by=c.head)
    assert child.parent == lead
    mine = child.assignments.get()
    assert mine.person == c.specialist and mine.due_at <= lead.due_at
    lead.refresh_from_db()
    assert lead.state == AssignmentState.IN_PROGRESS
    assert handler_assignments(c.specialist).get() == mine


def test_notes_start_the_work_and_carry_files_visible_to_the_lead(office: Office, submitted: Entry) -> None:
    c = office.committee
    direction = _direct(office, submitted, co_handlers=[c.specialist])
    co = direction.assignments.get(role=AssignmentRole.CO)
    with pytest.raises(DocumentError) as empty:
        services.assignment_note(assignment=co, text="  ", by=c.specialist)
    assert empty.value.field == "text"
    note = services.assignment_note(
        assignment=co,
        text="Ý kiến phối hợp",
        kind="opinion",
        files=[pdf_upload("y-kien.pdf")],
        by=c.specialist,
    )
    co.refresh_from_db()
    assert co.state == AssignmentState.IN_PROGRESS and co.started_at is not None
    stored = note.files.get()
    assert stored.role == FileRole.WORKING and stored.document == submitted.document
    from egov.documents.selectors_handling import entry_notes

    assert list(entry_notes(submitted)) == [note]
    with pytest.raises(DocumentError):
        services.assignment_note(
            assignment=co, text="x", files=[pdf_upload("x.pdf", b"not a pdf")], by=c.specialist
        )


def test_extension_request_and_decision(office: Office, submitted: Entry) -> None:
    c = office.committee
    direction = _direct(office, submitted, due=5)
    lead = direction.assignments.get(role=AssignmentRole.LEAD)
    with pytest.raises(DocumentError) as earlier:
        services.extension_request(
            assignment=lead, due=timezone.localdate(), reason="Cần thêm thời gian", by=c.head
        )
    assert earlier.value.field == "due"
    with pytest.raises(DocumentError) as no_reason:
        services.extension_request(
            assignment=lead, due=timezone.localdate() + dt.timedelta(days=30), reason="", by=c.head
        )
    assert no_reason.value.field == "reason"
    later = timezone.localdate() + dt.timedelta(days=30)
    request = services.extension_request(assignment=lead, due=later, reason="Chờ ý kiến các sở", by=c.head)
    with pytest.raises(WrongState):
        services.extension_request(assignment=lead, due=later, reason="Lần nữa", by=c.head)
    with pytest.raises(ActionForbidden):
        services.extension_decide(request=request, grant=True, by=c.head)
    services.extension_decide(request=request, grant=True, note="Đồng ý", by=c.leader)
    request.refresh_from_db()
    lead.refresh_from_db()
    submitted.refresh_from_db()
    assert request.state == ExtensionState.GRANTED
    assert timezone.localtime(lead.due_at).date() == later
    assert submitted.due_at == lead.due_at
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_EXTENSION).count() == 2
    assert StaffMessage.objects.filter(recipient=c.head, kind="documents.extension_decided").exists()


def test_extension_past_the_parent_deadline_is_refused(office: Office, submitted: Entry) -> None:
    c = office.committee
    lead = _direct(office, submitted, due=10).assignments.get(role=AssignmentRole.LEAD)
    child = services.assignment_forward(assignment=lead, text="", lead=c.specialist, due=3, by=c.head)
    mine = child.assignments.get()
    past = timezone.localtime(lead.due_at).date() + dt.timedelta(days=5)
    with pytest.raises(DocumentError) as caught:
        services.extension_request(assignment=mine, due=past, reason="Cần thêm", by=c.specialist)
    assert caught.value.field == "due" and "cấp trên" in str(caught.value)
    assert not mine.extensions.exists()


def test_lead_done_makes_the_entry_done(office: Office, submitted: Entry) -> None:
    c = office.committee
    direction = _direct(office, submitted, co_handlers=[c.specialist])
    co = direction.assignments.get(role=AssignmentRole.CO)
    with pytest.raises(ActionForbidden):
        services.assignment_report_done(assignment=co, text="Xong", by=c.specialist)
    lead = direction.assignments.get(role=AssignmentRole.LEAD)
    services.assignment_report_done(assignment=lead, text="Đã trả lời bằng văn bản", by=c.head)
    submitted.refresh_from_db()
    assert submitted.state == EntryState.DONE and submitted.done_at is not None
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_DONE).count() == 1


def test_done_waits_for_acceptance_where_the_agency_wants_it(office: Office, submitted: Entry) -> None:
    c = office.committee
    DocumentProfile.objects.filter(unit=c.unit).update(done_needs_acceptance=True)
    lead = _direct(office, submitted).assignments.get(role=AssignmentRole.LEAD)
    services.assignment_report_done(assignment=lead, text="Xong", by=c.head)
    submitted.refresh_from_db()
    assert submitted.state == EntryState.IN_PROGRESS
    with pytest.raises(DocumentError) as no_reason:
        services.assignment_accept_done(assignment=lead, accept=False, by=c.leader)
    assert no_reason.value.field == "note"
    services.assignment_accept_done(assignment=lead, accept=False, note="Bổ sung số liệu", by=c.leader)
    lead.refresh_from_db()
    assert lead.state == AssignmentState.IN_PROGRESS
    services.assignment_report_done(assignment=lead, text="Đã bổ sung", by=c.head)
    services.assignment_accept_done(assignment=lead, accept=True, by=c.leader)
    submitted.refresh_from_db()
    assert submitted.state == EntryState.DONE


def test_delegate_directs_on_behalf_of_the_leader(office: Office, submitted: Entry) -> None:
    c = office.committee
    today = timezone.localdate()
    with pytest.raises(DocumentError) as outside:
        services.delegation_create(
            agency=c.unit, delegate=office.outsider, starts_on=today, ends_on=today, by=c.leader
        )
    assert outside.value.field == "delegate"
    with pytest.raises(ActionForbidden):
        services.delegation_create(agency=c.unit, delegate=c.clerk, starts_on=today, ends_on=today, by=c.head)
    delegation = services.delegation_create(
        agency=c.unit, delegate=c.head, starts_on=today, ends_on=today + dt.timedelta(days=3), by=c.leader
    )
    assert list(leader_queue(c.head)) == [submitted]
    direction = _direct(office, submitted, lead=c.specialist, by=c.head)
    assert direction.on_behalf_of == c.leader
    services.delegation_revoke(delegation=delegation, by=c.leader)
    assert not leader_queue(c.head).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_DELEGATION).count() == 2


def test_sweeps_act_once(office: Office, submitted: Entry, registered: Any) -> None:
    c = office.committee
    late_entry = registered(number="55")
    Entry.objects.filter(pk=late_entry.pk).update(submit_due_at=timezone.now() - dt.timedelta(hours=1))
    assert submission_clock_sweep() == 1
    assert submission_clock_sweep() == 0
    assert StaffMessage.objects.filter(recipient=c.clerk, kind="documents.submit_late").count() == 1
    # Warned before the time runs out: within the hour, not three hours ahead.
    due_soon, due_later = registered(number="57"), registered(number="58")
    Entry.objects.filter(pk=due_soon.pk).update(submit_due_at=timezone.now() + dt.timedelta(minutes=30))
    Entry.objects.filter(pk=due_later.pk).update(submit_due_at=timezone.now() + dt.timedelta(hours=3))
    assert submission_clock_sweep() == 1
    assert StaffMessage.objects.filter(recipient=c.clerk, kind="documents.submit_due").count() == 1
    Entry.objects.filter(pk__in=[due_soon.pk, due_later.pk]).update(state=EntryState.SUBMITTED)
    # A department's own clerk is told, not the committee's above it.
    d = office.department
    late_dept = registered(d, number="56")
    Entry.objects.filter(pk=late_dept.pk).update(submit_due_at=timezone.now() - dt.timedelta(hours=1))
    assert submission_clock_sweep() == 1
    assert StaffMessage.objects.filter(recipient=d.clerk, kind="documents.submit_late").count() == 1
    assert StaffMessage.objects.filter(recipient=c.clerk, kind="documents.submit_late").count() == 1

    lead = _direct(office, submitted, due=3).assignments.get(role=AssignmentRole.LEAD)
    soon = timezone.now() + dt.timedelta(minutes=30)
    Assignment.objects.filter(pk=lead.pk).update(due_at=soon)
    assert deadline_warning_sweep() == 1
    assert deadline_warning_sweep() == 0
    later = timezone.now() + dt.timedelta(hours=1)
    assert overdue_sweep(now=later) == 1
    assert overdue_sweep(now=later) == 0
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_OVERDUE).count() == 1
    kinds = set(StaffMessage.objects.filter(recipient=c.head).values_list("kind", flat=True))
    assert {"documents.assigned", "documents.due_soon", "documents.overdue"} <= kinds
    assert StaffMessage.objects.filter(recipient=c.leader, kind="documents.overdue").exists()
