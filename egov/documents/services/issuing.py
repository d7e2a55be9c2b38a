"""Issuing outgoing documents (ban hành): the next number of the agency's outgoing register, the
notation and the document identifier, delivery at once to recipients inside egov; recall and
replacement of an issued document, which freeze the recipients' copies and tell their clerks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.core.uploads import check_upload
from egov.documents.errors import DocumentError
from egov.documents.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Document,
    DocumentFile,
    DocumentLink,
    DraftState,
    Entry,
    EntryState,
    FileRole,
    LinkKind,
    Recipient,
    Register,
    RegisterCounter,
    RegisterKind,
    Secrecy,
)
from egov.documents.selectors import clerks_of
from egov.documents.services.common import (
    audit,
    document_file_store,
    format_number,
    identifier_for,
    notation_for,
    register_number_next,
)
from egov.documents.services.incoming import entry_deliver
from egov.documents.workflow import Action, require
from egov.notifications.services import notification_send
from egov.orgs.models import Unit

PDF = "application/pdf"


def organ_id_of(agency: Unit) -> str:
    """The agency's identifier in document identifiers; an agency without a code (not yet in
    the national directory) uses a local one, unique in the installation."""
    return agency.agency_code or f"EGOV.{agency.pk}"


def check_register(*, register: Register, document: Document) -> None:
    """The register must be an outgoing register in use of the issuing agency, for the type and
    secrecy of the document."""
    if register.agency_id != document.issuer_unit_id or not register.is_active:
        raise DocumentError(
            _("“%(name)s” is not a register in use of the issuing agency.") % {"name": register.name},
            field="register",
        )
    if register.kind != RegisterKind.OUTGOING:
        raise DocumentError(
            _("“%(name)s” is a register of incoming documents; choose an outgoing register.")
            % {"name": register.name},
            field="register",
        )
    if not register.accepts_type(document.doc_type):
        raise DocumentError(
            _("The register “%(name)s” does not take documents of the type “%(type)s”.")
            % {"name": register.name, "type": document.get_doc_type_display()},
            field="register",
        )
    if register.is_secret != (document.secrecy != Secrecy.NONE):
        message = (
            _("A secret document goes into a register of secret documents.")
            if document.secrecy != Secrecy.NONE
            else _("Only secret documents go into a register of secret documents.")
        )
        raise DocumentError(message, field="register")


@dataclass(frozen=True)
class IssuePreview:
    """What the document will get if nobody issues in the register first."""

    number: str
    notation: str
    identifier: str


def issue_preview(*, document: Document, register: Register, on: dt.date | None = None) -> IssuePreview:
    """A read: the number the register gives next this year (not reserved), and the notation."""
    day = on or timezone.localdate()
    counter = RegisterCounter.objects.filter(register=register, year=day.year).first()
    number = format_number((counter.last if counter else 0) + 1)
    assert document.issuer_unit is not None
    notation = notation_for(
        doc_type=document.doc_type, agency=document.issuer_unit, drafting_unit=document.drafting_unit
    )
    ident = identifier_for(
        organ_id=organ_id_of(document.issuer_unit), issued_on=day, number=number, notation=notation
    )
    return IssuePreview(number=number, notation=notation, identifier=ident)


def _last_draft(document: Document) -> DocumentFile | None:
    return document.files.filter(role=FileRole.DRAFT).order_by("-version", "-pk").first()


def _check_main_file(document: Document, main_file: Any) -> DocumentFile | None:
    """The signed text: an uploaded PDF, or else the last draft version when it is a PDF."""
    if main_file is not None:
        try:
            checked = check_upload(main_file)
        except ValidationError as exc:
            raise DocumentError(" ".join(exc.messages), field="main_file") from exc
        if checked.content_type != PDF:
            raise DocumentError(_("The issued text must be a PDF file."), field="main_file")
        main_file.seek(0)
        return None
    last = _last_draft(document)
    if last is None or last.content_type != PDF:
        raise DocumentError(
            _("Upload the signed PDF: the last draft version is not a PDF."), field="main_file"
        )
    return last


def _store_main(document: Document, main_file: Any, draft: DocumentFile | None, by: Actor) -> DocumentFile:
    if main_file is not None:
        return document_file_store(document=document, upload=main_file, role=FileRole.MAIN, by=by)
    assert draft is not None
    # The same stored bytes become the main text: a new row, no copy (files are immutable).
    return DocumentFile.objects.create(
        document=document,
        role=FileRole.MAIN,
        version=1,
        name=draft.name,
        file=draft.file.name,
        sha256=draft.sha256,
        size=draft.size,
        content_type=draft.content_type,
        uploaded_by=by,
        uploaded_at=timezone.now(),
        derived_from=draft,
        text=draft.text,
        text_state=draft.text_state,
    )


def _identifier_taken(identifier: str, document: Document) -> DocumentError:
    return DocumentError(
        _("The document identifier %(id)s is already used by another document; nothing was issued.")
        % {"id": identifier},
        field="register",
    )


def _deliver(document: Document, by: Actor) -> list[Recipient]:
    """Recipients inside egov receive the very document in their clerk's queue at once."""
    now = timezone.now()
    delivered = []
    for recipient in document.recipients.filter(unit__isnull=False, entry__isnull=True).select_related(
        "unit"
    ):
        assert recipient.unit is not None
        recipient.entry = entry_deliver(document=document, agency=recipient.unit, by=by)
        recipient.delivered_at = now
        recipient.save(update_fields=["entry", "delivered_at"])
        delivered.append(recipient)
    return delivered


def _issue_inputs(
    document: Document, issued_on: dt.date | None, signer_position: str, signer_name: str
) -> tuple[dt.date, str, str]:
    """The issue date (today unless given; never in the future) and the signer (as drafted
    unless given)."""
    day = issued_on or timezone.localdate()
    if day > timezone.localdate():
        raise DocumentError(_("The issue date cannot be in the future."), field="issued_on")
    position = (signer_position or document.signer_position).strip()
    name = (signer_name or document.signer_name).strip()
    if not position or not name:
        raise DocumentError(_("Enter the signer's position and name."), field="signer_name")
    return day, position, name


def _save_issued(document: Document) -> None:
    """Save the issued document; the unique constraints are the last word on its number."""
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:
        # Only a counter set back by hand (or a race on the identifier) gets here.
        raise DocumentError(
            _(
                "The number %(n)s of this register for %(year)s, or the identifier %(id)s, is already taken; nothing was issued."
            )
            % {"n": document.number, "year": document.register_year, "id": document.identifier},
            field="register",
        ) from exc


def document_issue(
    *,
    document: Document,
    register: Register,
    by: Actor,
    issued_on: dt.date | None = None,
    main_file: Any = None,
    signer_position: str = "",
    signer_name: str = "",
    copies: int | None = None,
) -> Document:
    """Issue an approved draft: the next number of the register for the year (locked, no gap,
    no duplicate), the notation and the identifier; internal recipients receive it at once.
    Where the issuing agency has a signing key, the agency's signature is made first, outside
    the transaction (a time-stamping authority may be slow), and stored with the issue
    (:mod:`egov.documents.services.signing`)."""
    from egov.documents.services.signing import issue_prepare

    prepared = issue_prepare(
        document=document, register=register, by=by, issued_on=issued_on, main_file=main_file
    )
    return _document_issue(
        document=document,
        register=register,
        by=by,
        issued_on=issued_on,
        main_file=main_file,
        signer_position=signer_position,
        signer_name=signer_name,
        copies=copies,
        prepared=prepared,
    )


@transaction.atomic
def _document_issue(
    *,
    document: Document,
    register: Register,
    by: Actor,
    issued_on: dt.date | None,
    main_file: Any,
    signer_position: str,
    signer_name: str,
    copies: int | None,
    prepared: Any,
) -> Document:
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("issuer_unit", "drafting_unit")
        .get(pk=document.pk)
    )
    require(Action.ISSUE, by, document)
    agency = document.issuer_unit
    assert agency is not None
    check_register(register=register, document=document)
    day, position, name = _issue_inputs(document, issued_on, signer_position, signer_name)
    draft = _check_main_file(document, main_file)
    notation = notation_for(doc_type=document.doc_type, agency=agency, drafting_unit=document.drafting_unit)
    sequence = register_number_next(register=register, year=day.year)
    number = format_number(sequence)
    identifier = identifier_for(organ_id=organ_id_of(agency), issued_on=day, number=number, notation=notation)
    if Document.objects.filter(identifier=identifier).exclude(pk=document.pk).exists():
        raise _identifier_taken(identifier, document)
    document.number, document.sequence, document.notation = number, sequence, notation
    document.identifier, document.issued_on = identifier, day
    document.register, document.register_year = register, day.year
    document.signer_position, document.signer_name = position[:100], name[:50]
    document.copies = copies
    document.state = DraftState.ISSUED
    document.issued_at, document.issued_by = timezone.now(), by
    _save_issued(document)
    if prepared is not None:
        from egov.documents.services.signing import issue_apply

        main = issue_apply(prepared=prepared, document=document, by=by)
    else:
        main = _store_main(document, main_file, draft, by)
    delivered = _deliver(document, by)
    audit(
        AuditEvent.DOCUMENT_ISSUED,
        by=by,
        target=document,
        scope=agency,
        register=register.code,
        year=day.year,
        number=number,
        notation=notation,
        identifier=identifier,
        main_sha256=main.sha256,
        delivered_to=[r.unit_id for r in delivered],
    )
    return document


def _freeze(document: Document, *, kind: str, reason: str) -> list[Recipient]:
    """Freeze the recipients' copies and tell their clerks why (e-mail where they have one)."""
    now = timezone.now()
    frozen = []
    recipients = document.recipients.filter(entry__isnull=False, frozen_at__isnull=True).select_related(
        "entry", "unit"
    )
    for recipient in recipients:
        entry = recipient.entry
        assert entry is not None and recipient.unit is not None
        Entry.objects.filter(pk=entry.pk).exclude(state=EntryState.RETURNED).update(state=EntryState.FROZEN)
        # Nobody goes on working on a recalled copy: its open assignments end with it.
        Assignment.objects.filter(entry=entry, state__in=OPEN_ASSIGNMENT_STATES).update(
            state=AssignmentState.CANCELLED
        )
        recipient.frozen_at = now
        recipient.save(update_fields=["frozen_at"])
        frozen.append(recipient)
        subject = (
            _("Document %(doc)s was recalled by %(issuer)s")
            if kind == "recalled"
            else _("Document %(doc)s was replaced by %(issuer)s")
        ) % {"doc": document.number_notation, "issuer": document.issuer_name}
        body = _("%(subject)s.\nReason: %(reason)s\nYour agency's copy is frozen.") % {
            "subject": subject,
            "reason": reason,
        }
        for clerk in clerks_of(recipient.unit):
            if clerk.email:
                notification_send(
                    kind=f"documents.{kind}", subject=subject, body=body, email=clerk.email, related=entry
                )
    return frozen


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("Give the reason."), field="reason")
    if len(reason) > 1000:
        raise DocumentError(_("At most %(n)s characters.") % {"n": 1000}, field="reason")
    return reason


@transaction.atomic
def document_recall(*, document: Document, reason: str, by: Actor) -> Document:
    """Recall an issued document: the recipients' copies are frozen and their clerks told."""
    document = (
        Document.objects.select_for_update(of=("self",)).select_related("issuer_unit").get(pk=document.pk)
    )
    require(Action.RECALL, by, document)
    reason = _reason(reason)
    document.state = DraftState.RECALLED
    document.withdrawn_reason = reason
    document.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    frozen = _freeze(document, kind="recalled", reason=reason)
    audit(
        AuditEvent.DOCUMENT_RECALLED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        reason=reason,
        frozen=[r.unit_id for r in frozen],
    )
    return document


@transaction.atomic
def document_replace(*, document: Document, replacement: Document, reason: str, by: Actor) -> Document:
    """Replace an issued document by another issued document of the same agency: the old one's
    copies are frozen, their clerks told, and the two documents linked."""
    document = (
        Document.objects.select_for_update(of=("self",)).select_related("issuer_unit").get(pk=document.pk)
    )
    require(Action.REPLACE, by, document)
    reason = _reason(reason)
    replacement = Document.objects.get(pk=replacement.pk)
    if (
        replacement.pk == document.pk
        or replacement.state != DraftState.ISSUED
        or replacement.issuer_unit_id != document.issuer_unit_id
    ):
        raise DocumentError(
            _("The replacement must be another document issued by the same agency."), field="replacement"
        )
    if Document.objects.filter(Q(replaced_by=document)).filter(pk=replacement.pk).exists():
        raise DocumentError(_("A document cannot replace the one it replaced."), field="replacement")
    document.state = DraftState.REPLACED
    document.withdrawn_reason = reason
    document.replaced_by = replacement
    document.save(update_fields=["state", "withdrawn_reason", "replaced_by", "updated_at"])
    DocumentLink.objects.get_or_create(source=replacement, target=document, kind=LinkKind.REPLACES)
    frozen = _freeze(document, kind="replaced", reason=reason)
    audit(
        AuditEvent.DOCUMENT_REPLACED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        reason=reason,
        replacement=replacement.pk,
        frozen=[r.unit_id for r in frozen],
    )
    return document
