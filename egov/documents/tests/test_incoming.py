"""Registering incoming documents: numbers, duplicates, registers, return and submission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import Document, Entry, EntryState, FileRole, Register, RegisterKind
from egov.documents.permissions import entries_visible_to
from egov.documents.tests.conftest import Office, incoming_meta, pdf_upload


def test_arrival_numbers_run_per_register_per_year(office: Office, registered) -> None:
    first = registered()
    second = registered(number="77", notation="UBND-VP", issuer_name="UBND huyện A")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.year == timezone.localdate().year
    other = registered(office.department, number="9", notation="SYT")
    assert other.arrival_number == 1
    assert first.document.files.get().role == FileRole.SCAN
    assert first.submit_due_at is not None and first.submit_due_at > first.arrived_at
    event = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_REGISTERED).latest("seq")
    assert event.scope_path == office.department.unit.path


def test_duplicate_is_refused_with_a_link_then_recorded_when_confirmed(office: Office, registered) -> None:
    first = registered()
    with pytest.raises(services.DuplicateEntry) as caught:
        registered(issuer_name="bộ nội vụ")
    assert caught.value.existing == first
    assert Entry.objects.count() == 1
    entry = services.entry_register(
        agency=office.committee.unit,
        register=office.committee.incoming,
        meta=incoming_meta(),
        medium="paper",
        by=office.committee.clerk,
        accept_duplicate=True,
    )
    assert entry.duplicate_of == first
    # The refused attempt took no number: no gap.
    assert entry.arrival_number == 2


def test_same_identifier_is_the_same_document(office: Office, registered) -> None:
    ident = "000.00.00.G22,2026/12/01,7816/VPCP-TTĐT"
    a = registered(identifier=ident)
    b = registered(office.department, identifier=ident)
    assert a.document_id == b.document_id
    assert Document.objects.count() == 1


def test_wrong_register_and_bad_numbers_write_nothing(office: Office) -> None:
    c = office.committee
    cases = [
        ({"register": c.outgoing}, "register"),
        ({"register": office.department.incoming}, "register"),
        ({"arrival_number": 5}, "arrival_number"),
        ({"meta": incoming_meta(issued_on=timezone.localdate() + dt.timedelta(days=1))}, "issued_on"),
        ({"meta": incoming_meta(secrecy="secret")}, "register"),
        ({"main_file": pdf_upload("fake.pdf", b"<html><script>alert(1)</script>")}, "file"),
    ]
    for overrides, field_name in cases:
        kwargs = {
            "agency": c.unit,
            "register": c.incoming,
            "meta": incoming_meta(),
            "medium": "paper",
            "by": c.clerk,
        } | overrides
        with pytest.raises(DocumentError) as caught:
            services.entry_register(**kwargs)
        assert caught.value.field == field_name, overrides
    assert not Entry.objects.exists()
    assert not Document.objects.exists()
    # The counter rolled back with each refusal: the first real registration is number 1.
    entry = services.entry_register(
        agency=c.unit, register=c.incoming, meta=incoming_meta(), medium="paper", by=c.clerk
    )
    assert entry.arrival_number == 1


def test_only_the_agencys_clerk_registers(office: Office) -> None:
    for person in (
        office.committee.leader,
        office.committee.specialist,
        office.department.clerk,
        office.outsider,
    ):
        with pytest.raises(ActionForbidden):
            services.entry_register(
                agency=office.committee.unit,
                register=office.committee.incoming,
                meta=incoming_meta(),
                medium="paper",
                by=person,
            )


def test_secret_register_takes_only_secret_documents(office: Office) -> None:
    c = office.committee
    secret = Register.objects.create(
        agency=c.unit, kind=RegisterKind.INCOMING, name="Sổ mật", code="MAT", is_secret=True
    )
    with pytest.raises(DocumentError):
        services.entry_register(
            agency=c.unit, register=secret, meta=incoming_meta(), medium="paper", by=c.clerk
        )
    entry = services.entry_register(
        agency=c.unit, register=secret, meta=incoming_meta(secrecy="secret"), medium="paper", by=c.clerk
    )
    assert entry.arrival_number == 1
    # The clerk of the secret register sees it; the head of division does not.
    assert entries_visible_to(c.leader).filter(pk=entry.pk).exists()
    assert not entries_visible_to(c.head).filter(pk=entry.pk).exists()


def test_return_needs_an_electronic_document_and_a_reason(office: Office, registered) -> None:
    paper = registered()
    with pytest.raises(WrongState):
        services.entry_return(entry=paper, reason="Sai nơi nhận", by=office.committee.clerk)
    c = office.committee
    electronic = services.entry_register(
        agency=c.unit,
        register=c.incoming,
        meta=incoming_meta(number="55"),
        medium="electronic",
        main_file=pdf_upload(),
        by=c.clerk,
    )
    assert electronic.acknowledged_at is not None
    assert electronic.document.files.get().role == FileRole.MAIN
    with pytest.raises(DocumentError):
        services.entry_return(entry=electronic, reason="  ", by=c.clerk)
    services.entry_return(entry=electronic, reason="Không xác thực được chữ ký", by=c.clerk)
    electronic.refresh_from_db()
    assert electronic.state == EntryState.RETURNED


def test_submit_to_a_leader_of_the_agency(office: Office, registered) -> None:
    entry = registered()
    c = office.committee
    with pytest.raises(DocumentError):
        services.entry_submit(entry=entry, leader=office.department.leader, by=c.clerk)
    with pytest.raises(ActionForbidden):
        services.entry_submit(entry=entry, leader=c.leader, by=c.specialist)
    services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED and entry.submitted_to == c.leader
    with pytest.raises(WrongState):
        services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)


def test_notation_and_identifier(office: Office) -> None:
    c = office.committee
    assert services.notation_for(doc_type="QD", agency=c.unit) == "QĐ-UBND"
    assert services.notation_for(doc_type="CV", agency=c.unit, drafting_unit=c.division) == "UBND-VP"
    assert (
        services.notation_for(
            doc_type="TTR", agency=office.department.unit, drafting_unit=office.department.division
        )
        == "TTr-SYT-NV"
    )
    assert services.format_number(7) == "07" and services.format_number(123) == "123"
    assert (
        services.identifier_for(
            organ_id="000.00.00.G22", issued_on=dt.date(2015, 9, 30), number="7816", notation="VPCP-TTĐT"
        )
        == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    )


def test_a_registered_document_is_found_by_search_once_committed(
    office: Office, django_capture_on_commit_callbacks
) -> None:
    from egov.documents.search.query import SearchQuery, search_documents

    c = office.committee
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.entry_register(
            agency=c.unit,
            register=c.incoming,
            meta=incoming_meta(subject="Quyết định giao đất đai cho hộ gia đình"),
            medium="paper",
            by=c.clerk,
        )
    found = search_documents(user=c.leader, query=SearchQuery(q="quyet dinh dat dai"))
    assert [d.pk for d in found.documents] == [entry.document_id]
    # The outsider's search does not reach it.
    assert search_documents(user=office.outsider, query=SearchQuery(q="dat dai")).documents == []
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(entry=entry, leader=c.leader, by=c.clerk)
    found = search_documents(user=c.leader, query=SearchQuery(q="dat dai", state="submitted"))
    assert [d.pk for d in found.documents] == [entry.document_id]
