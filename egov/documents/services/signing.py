"""Signing outgoing documents the way Decree 30 lays them out (docs/signatures.md).

- :func:`document_sign`: the competent person signs the last draft version of an approved
  document with their own key and handwritten-signature image.
- :func:`issue_prepare` / :func:`issue_apply`: at issue, where the issuing agency has a key in
  use, the agency's signature with its seal goes over the person's (a second, incremental
  signature whose reason carries the number, notation and date), and every attachment PDF gets
  the agency's signature with a text stamp.
- :func:`document_copy`: a clerk makes an electronic copy (sao y) signed by their agency with a
  text stamp.
- :func:`document_archive_signature`: the signed main text of a document filed into a work file
  kept long-term gets validation data and a document timestamp (PAdES B-LTA).

Signing may wait on a time-stamping authority, a token or a remote service, so the signed bytes
are made before the transaction that stores them; the transaction locks the document, checks
again that nothing changed meanwhile and stores the new version, the signing record and the
audit row together. The unsigned versions stay; a signed file is a new immutable version."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError, WrongState
from egov.documents.models import (
    Document,
    DocumentFile,
    FileRole,
)
from egov.documents.services.common import audit, document_file_store
from egov.documents.signing_state import agency_key, last_draft, person_key, person_signature
from egov.documents.workflow import Action, require
from egov.signatures import layout
from egov.signatures.appearance import person_appearance, seal_appearance, stamp_appearance
from egov.signatures.errors import SignatureError
from egov.signatures.keys import signer_for
from egov.signatures.models import KeyBackend, SignatureKind, SigningKey
from egov.signatures.pdf import read_pdf
from egov.signatures.services import signing_record_add
from egov.signatures.signing import Box, sign_pdf

PDF = "application/pdf"
AGENCY_FIELD = "agency"


class SignOnDevice(DocumentError):
    """The key is on the signer's own device: the page sends them to sign there (the own-device
    exchange, ``egov.signatures.remote``) instead of signing on the server."""

    def __init__(self, message: str, *, key: SigningKey, document: Document) -> None:
        super().__init__(message, field="key")
        self.key = key
        self.document = document


def _refused(exc: SignatureError) -> DocumentError:
    return DocumentError(str(exc), field=exc.field or "file")


def _pdf_bytes(record: DocumentFile) -> bytes:
    if record.content_type != PDF:
        raise DocumentError(
            _("Only a PDF file can be signed; “%(name)s” is not one.") % {"name": record.name}
        )
    with record.file.open("rb") as handle:
        data = bytes(handle.read())
    try:
        read_pdf(data)
    except SignatureError as exc:
        raise _refused(exc) from exc
    return data


def _store(
    *,
    document: Document,
    data: bytes,
    role: str,
    name: str,
    by: Actor | None,
    source: DocumentFile | None,
    comment: str,
) -> DocumentFile:
    upload = ContentFile(data, name=name)
    return document_file_store(
        document=document, upload=upload, role=role, by=by, name=name, comment=comment, derived_from=source
    )


def _signed_name(name: str, suffix: str) -> str:
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return f"{stem[:200]}-{suffix}.pdf"


def _log(
    *,
    kind: SignatureKind,
    key: SigningKey | None,
    by: Actor | None,
    document: Document,
    source: bytes,
    result: DocumentFile,
    result_bytes: bytes,
    source_file: DocumentFile | None,
    **extra: Any,
) -> None:
    """The signing record and the audit row (who, which key, which version, resulting SHA-256)."""
    signing_record_add(kind=kind, key=key, by=by, target=document, source=source, result=result_bytes)
    audit(
        AuditEvent.DOCUMENT_SIGNED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        kind=str(kind),
        key=key.pk if key else None,
        key_label=key.label if key else "",
        source_file=source_file.pk if source_file else None,
        source_sha256=hashlib.sha256(source).hexdigest(),
        file=result.pk,
        sha256=result.sha256,
        **extra,
    )


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("issuer_unit", "drafting_unit")
        .get(pk=document.pk)
    )


# --- the competent person's signature ---------------------------------------------------------


def document_signed_by(document: Document, user: Actor) -> bool:
    """Whether ``user`` has signed the text to issue (a second click finds it done)."""
    record = person_signature(document)
    return record is not None and record.signed_by_id == user.pk


def _already_signed_by(document: Document, by: Actor) -> DocumentFile | None:
    record = person_signature(document)
    if record is not None and record.signed_by_id == by.pk:
        return last_draft(document)
    return None


def _store_person_signed(
    *,
    document: Document,
    source: DocumentFile,
    source_bytes: bytes,
    signed: bytes,
    key: SigningKey,
    by: Actor,
) -> DocumentFile:
    """The person's signed version: a new draft version derived from ``source``, with its signing
    record and audit row (inside the caller's transaction, the document locked)."""
    record = _store(
        document=document,
        data=signed,
        role=FileRole.DRAFT,
        name=_signed_name(source.name, "da-ky"),
        by=by,
        source=source,
        comment=_("Signed by %(name)s") % {"name": by.get_full_name() or by.username},
    )
    _log(
        kind=SignatureKind.PERSON,
        key=key,
        by=by,
        document=document,
        source=source_bytes,
        result=record,
        result_bytes=signed,
        source_file=source,
        device=key.backend == KeyBackend.CLIENT,
    )
    return record


def _person_placement(document: Document, by: Actor, data: bytes) -> tuple[Any, Box]:
    """The person's handwritten image and where it goes on ``data`` (the signature block)."""
    image = person_appearance(by)
    box = layout.person_box(
        data,
        signer_name=document.signer_name,
        signer_position=document.signer_position,
        image_px=image.px,
        width_mm=image.image.width_mm,
    )
    return image, box


def document_sign(*, document: Document, by: Actor) -> DocumentFile:
    """The competent person signs the last draft version with their own key and image: a new
    draft version (derived from the unsigned one) carrying their signature in the signature
    block. Signing again what they already signed returns that version (a double click signs
    once)."""
    document = Document.objects.select_related("issuer_unit", "drafting_unit").get(pk=document.pk)
    done = _already_signed_by(document, by)
    if done is not None:
        return done
    require(Action.SIGN, by, document)
    source = last_draft(document)
    if source is None:
        raise DocumentError(_("There is no draft version to sign."), field="file")
    key = person_key(by)
    if key is None:
        raise DocumentError(
            _("You have no signing key in use: ask the administrator to register yours."), field="key"
        )
    if key.backend == KeyBackend.CLIENT:
        raise SignOnDevice(
            _("Your key “%(key)s” is on your own device: sign the document there.") % {"key": key.label},
            key=key,
            document=document,
        )
    data = _pdf_bytes(source)
    try:
        image, box = _person_placement(document, by, data)
        signed = sign_pdf(
            data=data,
            signer=signer_for(key),
            field_name=f"person-{by.pk}",
            box=box,
            appearance=image.appearance,
            # Part of the signed file: the signature block's words, in Vietnamese.
            reason=f"{document.signer_position} {document.signer_name}".strip(),
            location=document.issuer_name,
        )
    except SignatureError as exc:
        raise _refused(exc) from exc
    with transaction.atomic():
        locked = _locked(document)
        done = _already_signed_by(locked, by)
        if done is not None:  # the same request, twice: the first one signed
            return done
        require(Action.SIGN, by, locked)
        current = last_draft(locked)
        if current is None or current.pk != source.pk:
            raise WrongState(
                _("A new version was added meanwhile; open the document again and sign that one.")
            )
        record = _store_person_signed(
            document=locked, source=source, source_bytes=data, signed=signed, key=key, by=by
        )
    return record


# --- the agency's signature at issue -------------------------------------------------------------


def issue_reason(*, number: str, notation: str, day: dt.date) -> str:
    """The reason of the agency's signature: the number, notation and issue date. Part of the
    signed document, so in Vietnamese whatever the clerk's language."""
    return f"Số {number}/{notation}, ngày {day:%d/%m/%Y}"


@dataclass
class PreparedIssue:
    """The agency-signed bytes made before the issue's transaction, for a given number."""

    key: SigningKey
    number: str
    notation: str
    day: dt.date
    source: DocumentFile
    source_bytes: bytes
    main: bytes
    attachments: list[tuple[DocumentFile, bytes, bytes]]


def _agency_signed_main(
    *, document: Document, key: SigningKey, data: bytes, number: str, notation: str, day: dt.date
) -> bytes:
    assert document.issuer_unit is not None
    seal = seal_appearance(document.issuer_unit)
    # The seal goes over the left third of the person's image: find where the person signed.
    image = person_appearance_box(data)
    box = layout.seal_box(image, image_px=seal.px, width_mm=seal.image.width_mm)
    return sign_pdf(
        data=data,
        signer=signer_for(key),
        field_name=AGENCY_FIELD,
        box=box,
        appearance=seal.appearance,
        reason=issue_reason(number=number, notation=notation, day=day),
        location=document.issuer_name,
    )


def person_appearance_box(data: bytes) -> Box:
    """Where the competent person's visible signature is on the page (their field's widget)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/FT") == "/Sig" and str(widget.get("/T", "")).startswith("person-"):
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                return Box(index, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    raise SignatureError(_("The competent person's signature was not found on the document."))


def _stamped(
    *, key: SigningKey, data: bytes, lines: list[str], field_name: str, reason: str, location: str
) -> bytes:
    appearance = stamp_appearance(*lines)
    return sign_pdf(
        data=data,
        signer=signer_for(key),
        field_name=field_name,
        box=layout.stamp_box(data, appearance.text or ""),
        appearance=appearance,
        reason=reason,
        location=location,
    )


def _attachments(document: Document) -> list[DocumentFile]:
    """The attachment PDFs not yet signed by the agency (the newest version of each)."""
    return [
        f
        for f in document.files.filter(role=FileRole.ATTACHMENT, content_type=PDF, derivatives__isnull=True)
        .exclude(derived_from__isnull=False)
        .order_by("pk")
    ]


def _sign_all(
    *, document: Document, key: SigningKey, source_bytes: bytes, number: str, notation: str, day: dt.date
) -> tuple[bytes, list[tuple[DocumentFile, bytes, bytes]]]:
    main = _agency_signed_main(
        document=document, key=key, data=source_bytes, number=number, notation=notation, day=day
    )
    signed_attachments = []
    for attachment in _attachments(document):
        data = _pdf_bytes(attachment)
        signed_attachments.append(
            (
                attachment,
                data,
                _stamped(
                    key=key,
                    data=data,
                    lines=[f"{number}/{notation}"],
                    field_name="agency-attachment",
                    reason=issue_reason(number=number, notation=notation, day=day),
                    location=document.issuer_name,
                ),
            )
        )
    return main, signed_attachments


def issue_prepare(
    *, document: Document, register: Any, by: Actor, issued_on: dt.date | None, main_file: Any
) -> PreparedIssue | None:
    """Before the issue's transaction: None where the issuing agency has no key in use (the
    issue goes on as without signatures); else the agency-signed main text and attachments for
    the number the register gives next (re-signed inside the transaction if another issue took
    that number meanwhile)."""
    from egov.documents.services.issuing import issue_preview

    document = Document.objects.select_related("issuer_unit", "drafting_unit").get(pk=document.pk)
    key = agency_key(document.issuer_unit)
    if key is None:
        return None
    require(Action.ISSUE, by, document)
    if main_file is not None:
        raise DocumentError(
            _(
                "This agency signs electronically: the text issued is the one the competent person signed, not an upload."
            ),
            field="main_file",
        )
    source = last_draft(document)
    if source is None or person_signature(document) is None:
        raise WrongState(
            _(
                "The competent person has not signed this document yet: the agency's signature goes only on a document they have signed."
            )
        )
    day = issued_on or timezone.localdate()
    preview = issue_preview(document=document, register=register, on=day)
    data = _pdf_bytes(source)
    try:
        main, attachments = _sign_all(
            document=document,
            key=key,
            source_bytes=data,
            number=preview.number,
            notation=preview.notation,
            day=day,
        )
    except SignatureError as exc:
        raise _refused(exc) from exc
    return PreparedIssue(key, preview.number, preview.notation, day, source, data, main, attachments)


# long: the issue's one transaction: re-check, store the signed versions, log, then issue
def issue_apply(*, prepared: PreparedIssue, document: Document, by: Actor) -> DocumentFile:
    """Inside the issue's transaction, after the number is taken: store the agency-signed main
    text (a new version derived from the person's) and attachments, logged and audited."""
    assert document.number and document.issued_on is not None
    current = last_draft(document)
    if current is None or current.pk != prepared.source.pk:
        raise WrongState(_("A new version was added meanwhile; open the document again."))
    if (document.number, document.notation, document.issued_on) != (
        prepared.number,
        prepared.notation,
        prepared.day,
    ):
        # Someone issued in the register meanwhile: the reason must carry the number taken.
        try:
            prepared.main, prepared.attachments = _sign_all(
                document=document,
                key=prepared.key,
                source_bytes=prepared.source_bytes,
                number=document.number,
                notation=document.notation,
                day=document.issued_on,
            )
        except SignatureError as exc:
            raise _refused(exc) from exc
    main = _store(
        document=document,
        data=prepared.main,
        role=FileRole.MAIN,
        name=_signed_name(prepared.source.name, document.number),
        by=by,
        source=prepared.source,
        comment=_("Signed by the agency"),
    )
    _log(
        kind=SignatureKind.AGENCY,
        key=prepared.key,
        by=by,
        document=document,
        source=prepared.source_bytes,
        result=main,
        result_bytes=prepared.main,
        source_file=prepared.source,
        number=document.number_notation,
    )
    for attachment, before, after in prepared.attachments:
        record = _store(
            document=document,
            data=after,
            role=FileRole.ATTACHMENT,
            name=_signed_name(attachment.name, "da-ky"),
            by=by,
            source=attachment,
            comment=_("Signed by the agency"),
        )
        _log(
            kind=SignatureKind.AGENCY_STAMP,
            key=prepared.key,
            by=by,
            document=document,
            source=before,
            result=record,
            result_bytes=after,
            source_file=attachment,
        )
    return main
