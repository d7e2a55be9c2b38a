"""Export of a closed work file (Decree 30 Annex VI: "export a work file as PDF + XML"): one ZIP
holding the PDF (cover sheet and index of documents), the XML of the file's and its documents'
metadata (schema in docs/documents.md, "Work files"), and optionally the documents' own files.

Rendering takes seconds and runs outside any transaction (see egov.dossiers.pdf for why); only
the access-log rows are written, in one short transaction at the end."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from lxml import etree

from egov.accounts.types import Actor
from egov.core.uploads import safe_filename
from egov.documents.models import (
    AccessKind,
    AccessLog,
    Document,
    DocumentFile,
    FileRole,
    WorkFile,
)
from egov.documents.permissions import agency_of, documents_visible_to
from egov.documents.selectors import work_file_items
from egov.documents.services.workfiles import agency_identifier
from egov.documents.workflow import Action, require

XML_NAMESPACE = "urn:egov:documents:work-file:1"
SCHEMA_VERSION = "1"
# The files of a document that belong in the archive: the text, its attachments, the scan.
EXPORTED_ROLES = (FileRole.MAIN, FileRole.ATTACHMENT, FileRole.SCAN)


@dataclass
class IndexRow:
    """One line of the file's index of documents (mục lục văn bản)."""

    ordinal: int
    document: Document
    # False: the exporter may not read this document; its subject is withheld, its files left out.
    readable: bool
    files: list[tuple[str, DocumentFile]] = field(default_factory=list)


@dataclass
class Export:
    name: str
    content: bytes
    content_type: str = "application/zip"


def retention_vi(retention: str) -> str:
    return "Vĩnh viễn" if retention == "permanent" else f"{retention} năm"


def index_rows(work_file: WorkFile, user: Actor) -> list[IndexRow]:
    items = list(work_file_items(work_file))
    readable = set(
        documents_visible_to(user).filter(pk__in=[i.document_id for i in items]).values_list("pk", flat=True)
    )
    return [
        IndexRow(ordinal=n, document=item.document, readable=item.document_id in readable)
        for n, item in enumerate(items, start=1)
    ]


def _dates(rows: list[IndexRow], work_file: WorkFile) -> tuple[dt.date, dt.date | None]:
    """Start and end of the file: its earliest and latest document date, else opening/closing."""
    days = [r.document.issued_on for r in rows if r.document.issued_on]
    start = min(days) if days else work_file.opened_on
    end = max(days) if days else work_file.closed_on
    return start, end


def _text(parent: Any, tag: str, value: object) -> Any:
    element = etree.SubElement(parent, f"{{{XML_NAMESPACE}}}{tag}")
    if value is not None and value != "":
        element.text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return element


def _xml_document(parent: Any, row: IndexRow, work_file: WorkFile) -> None:
    d = row.document
    element = etree.SubElement(parent, f"{{{XML_NAMESPACE}}}Document")
    _text(element, "FileCode", work_file.code)
    _text(element, "Ordinal", row.ordinal)
    _text(element, "Identifier", d.identifier)
    _text(element, "TypeName", d.get_doc_type_display())
    _text(element, "Number", d.number)
    _text(element, "Notation", d.notation)
    _text(element, "IssueDate", d.issued_on)
    _text(element, "IssuingAgency", d.issuer_name)
    _text(element, "IssuingAgencyId", d.issuer_code)
    _text(element, "Subject", d.subject if row.readable else "")
    _text(element, "Description", d.description if row.readable else "")
    _text(element, "Language", d.language)
    _text(element, "PageCount", d.page_count)
    _text(element, "SignerPosition", d.signer_position)
    _text(element, "SignerName", d.signer_name)
    _text(element, "Urgency", d.urgency)
    _text(element, "Secrecy", d.secrecy)
    _text(element, "Withheld", "false" if row.readable else "true")
    files = etree.SubElement(element, f"{{{XML_NAMESPACE}}}Files")
    for path, record in row.files:
        etree.SubElement(
            files,
            f"{{{XML_NAMESPACE}}}File",
            path=path,
            name=record.name,
            role=record.role,
            version=str(record.version),
            size=str(record.size),
            sha256=record.sha256,
            contentType=record.content_type,
        )


def work_file_xml(work_file: WorkFile, rows: list[IndexRow]) -> bytes:
    """The file's and its documents' metadata (Annex VI names), UTF-8."""
    start, end = _dates(rows, work_file)
    agency = agency_of(work_file.unit)
    root = etree.Element(f"{{{XML_NAMESPACE}}}WorkFile", nsmap={None: XML_NAMESPACE}, version=SCHEMA_VERSION)
    _text(root, "FileCode", work_file.code)
    _text(root, "AgencyId", agency_identifier(work_file.unit))
    _text(root, "AgencyName", agency.name)
    _text(root, "UnitName", work_file.unit.name)
    _text(root, "Year", work_file.year)
    prefix = f"{agency_identifier(work_file.unit)}.{work_file.year}."
    _text(root, "FileNotation", work_file.code.removeprefix(prefix))
    _text(root, "Title", work_file.title)
    _text(root, "Retention", work_file.retention)
    _text(root, "AccessRights", "restricted" if any(r.document.is_secret for r in rows) else "internal")
    _text(root, "Creator", work_file.owner.full_name or work_file.owner.get_username())
    _text(root, "Language", work_file.language)
    _text(root, "StartDate", start)
    _text(root, "EndDate", end)
    _text(root, "OpenedOn", work_file.opened_on)
    _text(root, "ClosedOn", work_file.closed_on)
    _text(root, "TransferDueOn", work_file.transfer_due_on)
    _text(root, "DocumentCount", len(rows))
    _text(root, "PageCount", sum(r.document.page_count or 0 for r in rows))
    _text(root, "Description", work_file.description)
    _text(root, "LegalHold", "true" if work_file.legal_hold else "false")
    documents = etree.SubElement(root, f"{{{XML_NAMESPACE}}}Documents")
    for row in rows:
        _xml_document(documents, row, work_file)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def work_file_pdf(work_file: WorkFile, rows: list[IndexRow]) -> bytes:
    """The cover sheet and the index of documents, rendered with WeasyPrint (Noto fonts)."""
    from weasyprint import HTML

    start, end = _dates(rows, work_file)
    agency = agency_of(work_file.unit)
    # The archive's copy is in Vietnamese whatever language the person's screen uses.
    with translation.override("vi"):
        html = render_to_string(
            "documents/workfiles/export.html",
            {
                "f": work_file,
                "agency": agency,
                "parent": agency.parent if agency.parent and not agency.parent.is_area else None,
                "rows": rows,
                "start": start,
                "end": end,
                "retention": retention_vi(work_file.retention),
                "pages": sum(r.document.page_count or 0 for r in rows),
                "now": timezone.localtime(),
            },
        )
    return bytes(HTML(string=html).write_pdf())


def _attach_files(rows: list[IndexRow]) -> None:
    """The latest version of each archived role's files, for the documents the exporter may read."""
    ids = [r.document.pk for r in rows if r.readable]
    files = DocumentFile.objects.filter(document_id__in=ids, role__in=EXPORTED_ROLES).order_by(
        "document_id", "role", "-version", "pk"
    )
    by_document: dict[int, list[DocumentFile]] = {}
    for record in files:
        by_document.setdefault(record.document_id, []).append(record)
    for row in rows:
        latest: dict[str, DocumentFile] = {}
        for record in by_document.get(row.document.pk, []):
            # Attachments are several files; the main text and the scan keep their latest version.
            key = record.role if record.role != FileRole.ATTACHMENT else f"{record.role}-{record.pk}"
            latest.setdefault(key, record)
        for n, record in enumerate(latest.values(), start=1):
            name = safe_filename(record.name, extension=(record.file.name or "").rsplit(".", 1)[-1])
            row.files.append((f"files/{row.ordinal:03d}-{n}-{name}", record))


def work_file_export(*, work_file: WorkFile, by: Actor, include_files: bool = False) -> Export:
    """The ZIP of a closed (or transferred) file: ``<code>.pdf``, ``<code>.xml`` and, when
    asked, ``files/…``; each document exported is written to the access log."""
    require(Action.FILE_EXPORT, by, work_file)
    rows = index_rows(work_file, by)
    if include_files:
        _attach_files(rows)
    base = safe_filename(work_file.code.replace("/", "-"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{base}.pdf", work_file_pdf(work_file, rows))
        with translation.override("vi"):  # the type names, as the PDF prints them
            archive.writestr(f"{base}.xml", work_file_xml(work_file, rows))
        for row in rows:
            for path, record in row.files:
                with record.file.open("rb") as stream:
                    archive.writestr(path, stream.read())
    now = timezone.now()
    with transaction.atomic():
        AccessLog.objects.bulk_create(
            AccessLog(document=r.document, user=by, kind=AccessKind.EXPORT, at=now)
            for r in rows
            if r.readable
        )
    return Export(name=f"{base}.zip", content=buffer.getvalue())
