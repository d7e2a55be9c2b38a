"""PAdES B-LTA for the signed main text of a document filed into a work file kept long-term."""

from __future__ import annotations

import io

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from egov.documents.models import (
    Document,
    DocumentFile,
    FileRole,
    Retention,
    WorkFile,
)
from egov.documents.services.signing import (
    PDF,
    _locked,
    _log,
    _pdf_bytes,
    _refused,
    _signed_name,
    _store,
)
from egov.signatures.errors import SignatureError
from egov.signatures.models import SignatureKind, SigningRecord
from egov.signatures.pdf import read_pdf
from egov.signatures.signing import Level

# --- long-term validation (B-LTA) for documents kept long-term ---------------------------------------


def long_term_years() -> int:
    """Work files kept at least this many years (or permanently) get B-LTA: certificates last a
    few years, so the validation data must be in the file (setting ``EGOV_SIGNING_LONG_TERM_YEARS``)."""
    return int(getattr(settings, "EGOV_SIGNING_LONG_TERM_YEARS", 10))


def is_long_term(work_file: WorkFile) -> bool:
    if work_file.retention == Retention.PERMANENT:
        return True
    return int(work_file.retention) >= long_term_years()


def document_filed(*, work_file: WorkFile, document: Document) -> None:
    """Called by the work-file service inside its transaction: a document filed into a file kept
    long-term gets B-LTA in the background once the filing commits."""
    if not is_long_term(work_file):
        return
    from functools import partial

    from egov.documents.signing_tasks import archive_signature_task

    transaction.on_commit(partial(archive_signature_task.enqueue, document_id=document.pk), robust=True)


def _lta(data: bytes) -> bytes:
    """Validation data for every signature embedded (DSS), then a document timestamp."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import timestamps, validation
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

    from egov.signatures.signing import tsa_url, validation_context_for_signing

    url = tsa_url()
    if not url:
        raise SignatureError(_("No time-stamping authority is configured (EGOV_SIGNING_TSA_URL)."))
    context = validation_context_for_signing()
    buffer = io.BytesIO(data)
    count = len(PdfFileReader(buffer, strict=False).embedded_signatures)
    for index in range(count):
        reader = PdfFileReader(buffer, strict=False)
        buffer = validation.add_validation_info(reader.embedded_signatures[index], context, in_place=False)
    writer = IncrementalPdfFileWriter(buffer, strict=False)
    out = PdfTimeStamper(timestamps.HTTPTimeStamper(url, timeout=15)).timestamp_pdf(
        writer, md_algorithm="sha256", validation_context=context
    )
    return bytes(out.getvalue())


def document_archive_signature(*, document_id: int) -> DocumentFile | None:
    """Give the signed main text B-LTA as a new version; nothing when it is unsigned or already
    done (running twice is harmless)."""
    document = Document.objects.select_related("issuer_unit").get(pk=document_id)
    main = document.files.filter(role=FileRole.MAIN, content_type=PDF).order_by("-version", "-pk").first()
    if main is None:
        return None
    if SigningRecord.objects.filter(kind=SignatureKind.ARCHIVE, result_sha256=main.sha256).exists():
        return None
    data = _pdf_bytes(main)
    if not read_pdf(data).embedded_signatures:
        return None
    try:
        archived = _lta(data)
    except SignatureError as exc:
        raise _refused(exc) from exc
    with transaction.atomic():
        locked = _locked(document)
        latest = locked.files.filter(role=FileRole.MAIN).order_by("-version", "-pk").first()
        if latest is None or latest.pk != main.pk:
            return None
        record = _store(
            document=locked,
            data=archived,
            role=FileRole.MAIN,
            name=_signed_name(main.name, "lta"),
            by=None,
            source=main,
            comment=str(Level.B_LTA.label),
        )
        _log(
            kind=SignatureKind.ARCHIVE,
            key=None,
            by=None,
            document=locked,
            source=data,
            result=record,
            result_bytes=archived,
            source_file=main,
            level=str(Level.B_LTA),
        )
    return record
