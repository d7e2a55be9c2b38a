"""Incoming documents: registration with the next arrival number, duplicate warnings, return
to the sender, submission to the leader, and delivery of documents issued inside egov."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Document,
    DraftState,
    Entry,
    EntryState,
    FileRole,
    Medium,
    Register,
    RegisterKind,
    Secrecy,
)
from egov.documents.permissions import is_leader_of
from egov.documents.services.common import audit, document_file_store, register_number_next, submit_due
from egov.documents.workflow import Action, require, require_register_at
from egov.orgs.models import Unit


@dataclass
class DocumentIn:
    """The Decree 30 metadata a clerk types from the paper (or reads from the file)."""

    doc_type: str
    subject: str
    issuer_name: str
    number: str = ""
    notation: str = ""
    issued_on: dt.date | None = None
    issuer_code: str = ""
    description: str = ""
    signer_position: str = ""
    signer_name: str = ""
    urgency: str = "normal"
    secrecy: str = Secrecy.NONE
    page_count: int | None = None
    due_on: dt.date | None = None
    identifier: str = ""
    language: str = "vi"
    extra: dict[str, Any] = field(default_factory=dict)


class DuplicateEntry(DocumentError):
    """The agency already holds this document; ``existing`` is the entry to link to."""

    def __init__(self, message: str, existing: Entry) -> None:
        super().__init__(message, field="number")
        self.existing = existing


def find_duplicate(*, agency: Unit, meta: DocumentIn) -> Entry | None:
    """A live entry of the agency with the same identifier, or number + notation + issuer."""
    condition = Q(pk__in=[])
    if meta.identifier:
        condition |= Q(document__identifier=meta.identifier)
    if meta.number and meta.notation:
        condition |= Q(
            document__number=meta.number,
            document__notation=meta.notation,
            document__issuer_name__iexact=meta.issuer_name,
        )
    return (
        Entry.objects.filter(condition, agency=agency)
        .exclude(state=EntryState.RETURNED)
        .select_related("document")
        .order_by("pk")
        .first()
    )


def _check_register(register: Register, agency: Unit, secrecy: str) -> None:
    if register.agency_id != agency.pk or not register.is_active:
        raise DocumentError(_("This register is not one of the agency's registers in use."), field="register")
    if register.kind != RegisterKind.INCOMING:
        raise DocumentError(
            _("“%(name)s” is a register of outgoing documents; choose an incoming register.")
            % {"name": register.name},
            field="register",
        )
    if register.is_secret != (secrecy != Secrecy.NONE):
        message = (
            _("A secret document goes into a register of secret documents.")
            if secrecy != Secrecy.NONE
            else _("Only secret documents go into a register of secret documents.")
        )
        raise DocumentError(message, field="register")


def _document_for(meta: DocumentIn, medium: str) -> Document:
    """The document itself: the one egov already knows by its identifier, else a new one."""
    if meta.identifier:
        known = Document.objects.filter(identifier=meta.identifier).first()
        if known is not None:
            return known
    if meta.issued_on and meta.issued_on > timezone.localdate():
        raise DocumentError(_("The issue date cannot be in the future."), field="issued_on")
    document = Document(
        doc_type=meta.doc_type,
        number=meta.number,
        sequence=int(meta.number) if meta.number.isdigit() else None,
        notation=meta.notation,
        issued_on=meta.issued_on,
        issuer_name=meta.issuer_name,
        issuer_code=meta.issuer_code,
        subject=meta.subject,
        description=meta.description,
        signer_position=meta.signer_position,
        signer_name=meta.signer_name,
        urgency=meta.urgency,
        secrecy=meta.secrecy,
        page_count=meta.page_count,
        due_on=meta.due_on,
        identifier=meta.identifier,
        language=meta.language,
        medium=medium,
        state=DraftState.ISSUED,
    )
    try:
        document.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DocumentError(" ".join(messages), field=name if name != "__all__" else None) from exc
    document.save()
    return document


def _duplicate_check(agency: Unit, meta: DocumentIn, accept_duplicate: bool) -> Entry | None:
    """The entry this one may duplicate; refused unless the clerk confirmed it."""
    duplicate = find_duplicate(agency=agency, meta=meta)
    if duplicate is not None and not accept_duplicate:
        raise DuplicateEntry(
            _("This document may already be registered as arrival number %(n)s (%(doc)s).")
            % {"n": duplicate.arrival_number or "—", "doc": duplicate.document},
            existing=duplicate,
        )
    return duplicate


def _store_files(
    document: Document, medium: str, main_file: Any, attachments: tuple[Any, ...], by: Actor
) -> None:
    if main_file is not None:
        role = FileRole.SCAN if medium == Medium.PAPER else FileRole.MAIN
        document_file_store(document=document, upload=main_file, role=role, by=by)
    for upload in attachments:
        document_file_store(document=document, upload=upload, role=FileRole.ATTACHMENT, by=by)


def _take_number(register: Register, year: int, expected: int | None) -> int:
    """The register's next number; refused if the clerk typed another (from the paper register)."""
    number = register_number_next(register=register, year=year)
    if expected is not None and expected != number:
        raise DocumentError(
            _("The next arrival number of this register for %(year)s is %(n)s, not %(given)s.")
            % {"year": year, "n": number, "given": expected},
            field="arrival_number",
        )
    return number


@transaction.atomic
def entry_register(
    *,
    agency: Unit,
    register: Register,
    meta: DocumentIn,
    medium: str,
    by: Actor,
    arrived_at: dt.datetime | None = None,
    main_file: Any = None,
    attachments: tuple[Any, ...] = (),
    arrival_number: int | None = None,
    accept_duplicate: bool = False,
) -> Entry:
    """Register a document received on paper or as a file: the next arrival number of the
    register for the year (race-free, no gaps), the clock to put it before the leader, and the
    sender's receipt acknowledged. A possible duplicate is refused unless the clerk confirms it,
    and is then linked to the entry it resembles."""
    require_register_at(by, agency)
    _check_register(register, agency, meta.secrecy)
    if medium not in (Medium.PAPER, Medium.ELECTRONIC, Medium.EXCHANGE):
        raise DocumentError(_("Choose how the document was received."), field="medium")
    if medium == Medium.PAPER and main_file is None and not meta.subject:
        raise DocumentError(_("Enter the subject or upload the scan."), field="subject")
    duplicate = _duplicate_check(agency, meta, accept_duplicate)
    now = timezone.now()
    arrived = arrived_at or now
    if arrived > now + dt.timedelta(minutes=5):
        raise DocumentError(_("The arrival time cannot be in the future."), field="arrived_at")
    year = timezone.localtime(arrived).year
    number = _take_number(register, year, arrival_number)
    document = _document_for(meta, medium)
    entry = Entry.objects.create(
        document=document,
        agency=agency,
        register=register,
        year=year,
        arrival_number=number,
        arrived_at=arrived,
        medium=medium,
        state=EntryState.REGISTERED,
        registered_at=now,
        registered_by=by,
        acknowledged_at=now if medium != Medium.PAPER else None,
        submit_due_at=submit_due(agency=agency, arrived_at=arrived, urgency=document.urgency),
        duplicate_of=duplicate,
    )
    _store_files(document, medium, main_file, attachments, by)
    audit(
        AuditEvent.DOCUMENT_REGISTERED,
        by=by,
        target=entry,
        scope=agency,
        register=register.code,
        year=year,
        arrival_number=number,
        duplicate_of=duplicate.pk if duplicate else None,
    )
    return entry


@transaction.atomic
def entry_deliver(*, document: Document, agency: Unit, by: Actor | None) -> Entry:
    """A document issued inside egov arrives in a recipient agency's queue at once: the same
    object, nothing re-typed. The clerk gives it an arrival number when registering it."""
    now = timezone.now()
    return Entry.objects.create(
        document=document,
        agency=agency,
        arrived_at=now,
        medium=Medium.INTERNAL,
        state=EntryState.REGISTERED,
        acknowledged_at=now,
        submit_due_at=submit_due(agency=agency, arrived_at=now, urgency=document.urgency),
    )


@transaction.atomic
def entry_number(*, entry: Entry, register: Register, by: Actor) -> Entry:
    """Give a delivered (internal) entry its arrival number in one of the agency's registers."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require(Action.SUBMIT, by, entry)
    if entry.arrival_number is not None:
        raise DocumentError(_("This document already has an arrival number."))
    _check_register(register, entry.agency, entry.document.secrecy)
    entry.year = timezone.localtime(entry.arrived_at).year
    entry.register = register
    entry.arrival_number = register_number_next(register=register, year=entry.year)
    entry.registered_at = timezone.now()
    entry.registered_by = by
    entry.save(update_fields=["year", "register", "arrival_number", "registered_at", "registered_by"])
    audit(
        AuditEvent.DOCUMENT_REGISTERED,
        by=by,
        target=entry,
        scope=entry.agency,
        register=register.code,
        year=entry.year,
        arrival_number=entry.arrival_number,
    )
    return entry


@transaction.atomic
def entry_return(*, entry: Entry, reason: str, by: Actor) -> Entry:
    """Send an unverifiable or misdirected electronic document back to its sender with a
    reason (the exchange issue transmits it; status 02)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require(Action.RETURN, by, entry)
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("Give the reason for returning the document."), field="reason")
    entry.state = EntryState.RETURNED
    entry.return_reason = reason[:1000]
    entry.save(update_fields=["state", "return_reason"])
    audit(AuditEvent.DOCUMENT_RETURNED, by=by, target=entry, scope=entry.agency, reason=entry.return_reason)
    return entry


@transaction.atomic
def entry_submit(*, entry: Entry, leader: Actor, by: Actor) -> Entry:
    """Put the document before a leader of the agency (the statutory clock stops here)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require(Action.SUBMIT, by, entry)
    if entry.arrival_number is None:
        raise DocumentError(_("Register the document (arrival number) before submitting it."))
    if not is_leader_of(leader, entry.agency):
        raise DocumentError(_("Choose a leader of this agency."), field="leader")
    entry.state = EntryState.SUBMITTED
    entry.submitted_to = leader
    entry.submitted_at = timezone.now()
    entry.save(update_fields=["state", "submitted_to", "submitted_at"])
    audit(
        AuditEvent.DOCUMENT_SUBMITTED,
        by=by,
        target=entry,
        scope=entry.agency,
        leader=leader.pk,
        late=bool(entry.submit_due_at and entry.submitted_at > entry.submit_due_at),
    )
    return entry
