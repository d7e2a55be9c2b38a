"""Drafting and review: versions, the review chain, approval, send-back and abandon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import _person
from egov.accounts.models import Role
from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import (
    Document,
    DocumentLink,
    DraftState,
    FileRole,
    LinkKind,
    Review,
    ReviewState,
)
from egov.documents.selectors import drafts_of, reviews_waiting_for
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import draft
from egov.documents.workflow import Action, available_actions

pytestmark = pytest.mark.django_db


def test_a_draft_is_issued_in_the_name_of_the_drafting_units_agency(office: Office, registered) -> None:
    incoming = registered()
    c = office.committee
    # The chairman sees every incoming document of the committee, so he may answer this one.
    document = draft(office, answers=[incoming.document], due_on=timezone.localdate(), by=c.leader)
    assert document.state == DraftState.DRAFT
    assert document.issuer_unit == c.unit and document.drafting_unit == c.division
    assert document.issuer_name == c.unit.name
    recipients = list(document.recipients.order_by("pk"))
    assert recipients[0].unit == office.department.unit and not recipients[0].is_external
    assert recipients[1].is_external and recipients[1].organ_code == "000.00.00.G12"
    assert DocumentLink.objects.get(source=document, kind=LinkKind.ANSWERS).target == incoming.document
    assert list(drafts_of(c.leader)) == [document] and not drafts_of(c.specialist).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_DRAFTED).count() == 1


def test_bad_draft_input_is_refused_on_its_field_and_writes_nothing(office: Office) -> None:
    c = office.committee
    cases = [
        ({"doc_type": "XX"}, "doc_type"),
        ({"subject": "   "}, "subject"),
        ({"urgency": "soon"}, "urgency"),
        ({"due_on": timezone.localdate() - dt.timedelta(days=1)}, "due_on"),
        ({"recipients": [services.RecipientIn(unit=c.unit)]}, "recipients"),
        ({"recipients": [services.RecipientIn(unit=c.division)]}, "recipients"),
        ({"recipients": [services.RecipientIn(name="")]}, "recipients"),
        ({"subject": "x" * 501}, "subject"),
    ]
    for overrides, field_name in cases:
        with pytest.raises(DocumentError) as caught:
            draft(office, **overrides)
        assert caught.value.field == field_name, overrides
    assert not Document.objects.exists()


def test_one_may_not_answer_a_document_one_cannot_see(office: Office, registered) -> None:
    elsewhere = registered(office.department)
    with pytest.raises(DocumentError) as caught:
        draft(office, answers=[elsewhere.document])
    assert caught.value.field == "answers"


def test_only_staff_of_the_unit_draft_there(office: Office) -> None:
    for person in (office.committee.clerk, office.department.specialist, office.outsider):
        with pytest.raises(ActionForbidden):
            draft(office, by=person)


def test_versions_are_kept_with_who_and_when(office: Office) -> None:
    c = office.committee
    document = draft(office)
    first = services.draft_version_add(document=document, upload=pdf_upload(), by=c.specialist, comment="v1")
    second = services.draft_version_add(
        document=document, upload=pdf_upload("v2.pdf"), by=c.specialist, comment="Sửa theo góp ý"
    )
    assert (first.version, second.version) == (1, 2)
    assert second.role == FileRole.DRAFT and second.uploaded_by == c.specialist
    assert second.comment == "Sửa theo góp ý" and second.uploaded_at is not None
    with pytest.raises(DocumentError) as caught:
        services.draft_version_add(
            document=document, upload=pdf_upload("x.pdf", b"<html><script></script>"), by=c.specialist
        )
    assert caught.value.field == "file"
    with pytest.raises(ActionForbidden):
        services.draft_version_add(document=document, upload=pdf_upload(), by=c.head)
    assert document.files.count() == 2


def test_a_draft_without_text_cannot_be_submitted(office: Office) -> None:
    document = draft(office)
    with pytest.raises(DocumentError) as caught:
        services.draft_submit_review(document=document, by=office.committee.specialist)
    assert caught.value.field == "file"
    assert not Review.objects.exists()


def test_review_chain_head_of_division_then_leader(office: Office) -> None:
    c = office.committee
    document = draft(office)
    services.draft_version_add(document=document, upload=pdf_upload(), by=c.specialist)
    services.draft_submit_review(document=document, by=c.specialist)
    steps = list(document.reviews.all())
    assert [(s.role, s.unit) for s in steps] == [
        (Role.HEAD_OF_DIVISION, c.division),
        (Role.AGENCY_LEADER, c.unit),
    ]
    # The leader waits for the head; a specialist, another agency's leader and the drafter may not approve.
    assert list(reviews_waiting_for(c.head)) == [document]
    assert list(reviews_waiting_for(c.leader)) == []
    for wrong in (c.leader, c.specialist, office.department.leader, c.clerk):
        with pytest.raises(ActionForbidden):
            services.review_approve(document=document, by=wrong)
    with pytest.raises(WrongState):
        services.draft_version_add(document=document, upload=pdf_upload(), by=c.specialist)
    services.review_approve(document=document, by=c.head, comment="Đồng ý, trình lãnh đạo")
    assert list(reviews_waiting_for(c.leader)) == [document]
    document.refresh_from_db()
    assert Action.APPROVE in available_actions(c.leader, document)
    services.review_approve(document=document, by=c.leader, comment="Duyệt")
    document.refresh_from_db()
    assert document.state == DraftState.APPROVED
    trail = [(r.reviewer, r.state, r.comment) for r in document.reviews.all()]
    assert trail == [
        (c.head, ReviewState.APPROVED, "Đồng ý, trình lãnh đạo"),
        (c.leader, ReviewState.APPROVED, "Duyệt"),
    ]
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_REVIEWED).count() == 2


def test_send_back_needs_a_comment_ends_the_round_and_the_next_submission_starts_another(
    office: Office,
) -> None:
    c = office.committee
    document = draft(office)
    services.draft_version_add(document=document, upload=pdf_upload(), by=c.specialist)
    services.draft_submit_review(document=document, by=c.specialist)
    with pytest.raises(DocumentError) as caught:
        services.review_send_back(document=document, comment="  ", by=c.head)
    assert caught.value.field == "comment"
    services.review_send_back(document=document, comment="Bổ sung số liệu quý IV", by=c.head)
    document.refresh_from_db()
    assert document.state == DraftState.DRAFT
    assert [r.state for r in document.reviews.all()] == [ReviewState.SENT_BACK, ReviewState.CANCELLED]
    services.draft_version_add(document=document, upload=pdf_upload("v2.pdf"), by=c.specialist)
    services.draft_submit_review(document=document, by=c.specialist)
    assert sorted({r.round for r in document.reviews.all()}) == [1, 2]
    assert document.reviews.filter(round=2, state=ReviewState.PENDING).count() == 2


def test_a_heads_own_draft_skips_their_step_and_a_leaders_is_approved_at_once(office: Office) -> None:
    c = office.committee
    by_head = draft(office, by=c.head)
    services.draft_version_add(document=by_head, upload=pdf_upload(), by=c.head)
    services.draft_submit_review(document=by_head, by=c.head)
    assert [r.role for r in by_head.reviews.all()] == [Role.AGENCY_LEADER]
    by_leader = draft(office, by=c.leader, drafting_unit=c.unit)
    services.draft_version_add(document=by_leader, upload=pdf_upload(), by=c.leader)
    services.draft_submit_review(document=by_leader, by=c.leader)
    by_leader.refresh_from_db()
    assert by_leader.state == DraftState.APPROVED and not by_leader.reviews.exists()


def test_a_chain_nobody_holds_is_refused(office: Office) -> None:
    c = office.committee
    lonely = _person("chuyenvien.le", roles=[(c.division, Role.SPECIALIST)])
    profile = c.unit.document_profile
    profile.review_roles = ["auditor"]
    profile.save()
    document = draft(office, by=lonely)
    services.draft_version_add(document=document, upload=pdf_upload(), by=lonely)
    with pytest.raises(DocumentError):
        services.draft_submit_review(document=document, by=lonely)


def test_update_and_abandon(office: Office) -> None:
    c = office.committee
    document = draft(office)
    services.draft_update(
        document=document,
        doc_type="KH",
        subject="Kế hoạch chuyển đổi số năm 2027",
        recipients=[services.RecipientIn(unit=office.commune.unit)],
        by=c.specialist,
    )
    document.refresh_from_db()
    assert document.doc_type == "KH"
    assert [r.unit for r in document.recipients.all()] == [office.commune.unit]
    with pytest.raises(ActionForbidden):
        services.draft_abandon(document=document, by=c.head)
    services.draft_abandon(document=document, by=c.specialist, reason="Không cần nữa")
    document.refresh_from_db()
    assert document.state == DraftState.ABANDONED
    with pytest.raises(WrongState):
        services.draft_update(document=document, doc_type="KH", subject="x", by=c.specialist)
