"""Issuing: register checks, numbers and notations, identifiers, delivery inside egov, recall
and replacement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import (
    Document,
    DocumentLink,
    DraftState,
    EntryState,
    FileRole,
    LinkKind,
    Register,
    RegisterKind,
)
from egov.documents.selectors import clerk_queue, to_issue
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import approved, draft, issued
from egov.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_issue_numbers_notation_identifier_and_delivers_to_internal_recipients(office: Office) -> None:
    c = office.committee
    document = approved(office)
    assert list(to_issue(c.clerk)) == [document]
    assert not to_issue(office.department.clerk).exists()
    preview = services.issue_preview(document=document, register=c.outgoing)
    assert (preview.number, preview.notation) == ("01", "UBND-VP")
    document = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    today = timezone.localdate()
    assert document.state == DraftState.ISSUED
    assert (document.number, document.sequence, document.notation) == ("01", 1, "UBND-VP")
    assert document.issued_on == today and document.register_year == today.year
    assert document.identifier == f"EGOV.{c.unit.pk},{today:%Y/%m/%d},01/UBND-VP"
    main = document.files.get(role=FileRole.MAIN)
    assert main.derived_from is not None and main.sha256 == main.derived_from.sha256
    # The department's clerk finds the very same document in the queue, nothing re-typed.
    internal = document.recipients.get(unit=office.department.unit)
    assert internal.entry is not None and internal.delivered_at is not None
    queue = list(clerk_queue(office.department.clerk))
    assert [e.document_id for e in queue] == [document.pk] and queue[0].pk == internal.entry_id
    external = document.recipients.get(unit__isnull=True)
    assert external.entry is None and external.name == "Bộ Nội vụ"
    event = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_ISSUED).get()
    assert event.scope_path == c.unit.path
    second = issued(office, doc_type="QD", subject="Quyết định thành lập tổ công tác")
    assert (second.number, second.notation) == ("02", "QĐ-UBND-VP")


def test_issuing_twice_or_by_the_wrong_person_is_refused(office: Office) -> None:
    c = office.committee
    document = approved(office)
    for person in (c.leader, c.specialist, office.department.clerk):
        with pytest.raises(ActionForbidden):
            services.document_issue(document=document, register=c.outgoing, by=person)
    services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    with pytest.raises(WrongState):
        services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    with pytest.raises(WrongState):
        services.document_issue(document=draft(office), register=c.outgoing, by=c.clerk)
    assert Document.objects.filter(state=DraftState.ISSUED).count() == 1


def test_bad_issue_input_is_refused_in_vietnamese_and_takes_no_number(office: Office) -> None:
    c = office.committee
    document = approved(office)
    by_type = Register.objects.create(
        agency=c.unit, kind=RegisterKind.OUTGOING, name="Sổ quyết định", code="QD", document_types=["QD"]
    )
    secret = Register.objects.create(
        agency=c.unit, kind=RegisterKind.OUTGOING, name="Sổ mật", code="MAT", is_secret=True
    )
    cases = [
        ({"register": c.incoming}, "register"),
        ({"register": office.department.outgoing}, "register"),
        ({"register": by_type}, "register"),
        ({"register": secret}, "register"),
        ({"issued_on": timezone.localdate() + dt.timedelta(days=1)}, "issued_on"),
        ({"main_file": pdf_upload("x.pdf", b"<html><script></script>")}, "main_file"),
        ({"signer_name": " ", "signer_position": " "}, None),
    ]
    Document.objects.filter(pk=document.pk).update(signer_name="", signer_position="")
    for overrides, field_name in cases:
        kwargs = {"document": document, "register": c.outgoing, "by": c.clerk, **overrides}
        if field_name != "register" and field_name is not None:
            kwargs.setdefault("signer_name", "Nguyễn Văn An")
            kwargs.setdefault("signer_position", "CHỦ TỊCH")
        with pytest.raises(DocumentError) as caught:
            services.document_issue(**kwargs)
        assert caught.value.field == (field_name or "signer_name"), overrides
    document.refresh_from_db()
    assert document.state == DraftState.APPROVED and not document.number
    done = services.document_issue(
        document=document,
        register=c.outgoing,
        by=c.clerk,
        signer_name="Nguyễn Văn An",
        signer_position="CHỦ TỊCH",
    )
    assert done.number == "01"  # the refusals left no gap


def test_a_draft_that_is_not_a_pdf_needs_the_signed_pdf(office: Office) -> None:
    c = office.committee
    document = draft(office)
    docx = pdf_upload("du-thao.docx", _minimal_docx())
    services.draft_version_add(document=document, upload=docx, by=c.specialist)
    services.draft_submit_review(document=document, by=c.specialist)
    services.review_approve(document=document, by=c.head)
    services.review_approve(document=document, by=c.leader)
    with pytest.raises(DocumentError) as caught:
        services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    assert caught.value.field == "main_file"
    done = services.document_issue(
        document=document, register=c.outgoing, by=c.clerk, main_file=pdf_upload("ky-so.pdf")
    )
    assert done.files.get(role=FileRole.MAIN).derived_from is None


def _minimal_docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_colliding_identifier_is_refused_and_nothing_is_written(office: Office, registered) -> None:
    c = office.committee
    today = timezone.localdate()
    taken = f"EGOV.{c.unit.pk},{today:%Y/%m/%d},01/UBND-VP"
    registered(office.department, identifier=taken)
    document = approved(office)
    with pytest.raises(DocumentError) as caught:
        services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    assert "01/UBND-VP" in str(caught.value)
    document.refresh_from_db()
    assert document.state == DraftState.APPROVED and not document.files.filter(role=FileRole.MAIN).exists()
    assert not document.recipients.filter(entry__isnull=False).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_ISSUED).exists()
    assert not c.outgoing.counters.filter(last__gt=0).exists()


def test_recall_freezes_the_recipients_copies_and_tells_their_clerks(office: Office) -> None:
    c, d = office.committee, office.department
    d.clerk.email = "vanthu.syt@example.vn"
    d.clerk.save()
    document = issued(office)
    # The department is already working on its copy when the recall comes.
    copy = document.recipients.get(unit=d.unit).entry
    services.entry_number(entry=copy, register=d.incoming, by=d.clerk)
    services.entry_submit(entry=copy, leader=d.leader, by=d.clerk)
    services.entry_direct(entry=copy, text="Giao phòng", lead=d.division, due=5, by=d.leader)
    with pytest.raises(ActionForbidden):
        services.document_recall(document=document, reason="Sai sót", by=c.specialist)
    with pytest.raises(DocumentError) as caught:
        services.document_recall(document=document, reason=" ", by=c.clerk)
    assert caught.value.field == "reason"
    services.document_recall(document=document, reason="Sai sót số liệu", by=c.leader)
    document.refresh_from_db()
    assert document.state == DraftState.RECALLED and document.withdrawn_reason == "Sai sót số liệu"
    recipient = document.recipients.get(unit=d.unit)
    assert recipient.frozen_at is not None
    assert recipient.entry is not None and recipient.entry.state == EntryState.FROZEN
    assert {a.state for a in recipient.entry.assignments.all()} == {"cancelled"}
    assert not clerk_queue(d.clerk).exists()
    note = Notification.objects.get(kind="documents.recalled")
    assert note.related_id == str(recipient.entry_id) and "Sai sót số liệu" in note.body
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_RECALLED).count() == 1
    with pytest.raises(WrongState):
        services.document_recall(document=document, reason="lần nữa", by=c.clerk)


def test_replace_links_the_replacement_and_freezes_the_old_copies(office: Office) -> None:
    c = office.committee
    old = issued(office)
    other_agency = issued(office, office.department, recipients=[])
    with pytest.raises(DocumentError) as caught:
        services.document_replace(document=old, replacement=other_agency, reason="Thay thế", by=c.clerk)
    assert caught.value.field == "replacement"
    with pytest.raises(DocumentError):
        services.document_replace(document=old, replacement=approved(office), reason="Thay thế", by=c.clerk)
    new = issued(office, subject="V/v báo cáo tình hình chuyển đổi số quý IV (thay thế)")
    services.document_replace(document=old, replacement=new, reason="Sai số liệu", by=c.clerk)
    old.refresh_from_db()
    assert old.state == DraftState.REPLACED and old.replaced_by == new
    assert DocumentLink.objects.filter(source=new, target=old, kind=LinkKind.REPLACES).exists()
    assert old.recipients.get(unit=office.department.unit).entry.state == EntryState.FROZEN
    # The replacement's own copy stays live in the department's queue.
    assert [e.document_id for e in clerk_queue(office.department.clerk)] == [new.pk]
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_REPLACED).count() == 1


def test_a_number_already_taken_is_refused_and_nothing_is_written(office: Office) -> None:
    c = office.committee
    first = issued(office)
    # Someone set the register's counter back by hand: the next issue would repeat number 01.
    c.outgoing.counters.update(last=0)
    document = approved(office)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if yesterday.year != timezone.localdate().year:
        pytest.skip("on 1 January yesterday's numbers are another year's")
    with pytest.raises(DocumentError) as caught:
        services.document_issue(document=document, register=c.outgoing, issued_on=yesterday, by=c.clerk)
    assert caught.value.field == "register" and "01" in str(caught.value)
    document.refresh_from_db()
    assert document.state == DraftState.APPROVED and not document.number
    assert not document.files.filter(role=FileRole.MAIN).exists()
    assert Document.objects.filter(register=c.outgoing, sequence=1).get() == first
