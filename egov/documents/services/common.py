"""What every document service shares: register numbers, notations and identifiers, stored
files, the statutory clocks and the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.services import audit_record
from egov.core.uploads import check_upload
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import (
    TYPE_ABBREVIATIONS,
    Document,
    DocumentFile,
    DocumentType,
    Register,
    RegisterCounter,
    TextState,
    Urgency,
)
from egov.documents.search import hooks as search_hooks
from egov.documents.selectors import profile_for
from egov.orgs.models import Unit
from egov.signatures.checks import check_request as signature_check_request
from egov.workcal import Limit, due
from egov.workcal.selectors import calendar_for_unit

__all__ = [
    "ActionForbidden",
    "DocumentError",
    "WrongState",
    "audit",
    "document_file_store",
    "format_number",
    "identifier_for",
    "notation_for",
    "register_number_next",
    "submit_due",
    "working_days_due",
]


def register_number_next(*, register: Register, year: int) -> int:
    """The next number of ``register`` in ``year``: consecutive from 1, never reused.

    One statement both locks the counter row and takes the number (UPDATE … RETURNING), so
    concurrent issuers queue on the row (FOR UPDATE semantics on PostgreSQL, the write lock on
    SQLite) and an issue that fails rolls its number back with it: no duplicate, no gap."""
    table = connection.ops.quote_name(RegisterCounter._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE register_id = %s AND year = %s RETURNING last"  # noqa: S608
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, [register.pk, year])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        try:
            with transaction.atomic():
                RegisterCounter.objects.create(register=register, year=year, last=0)
        except IntegrityError:
            pass  # another issuer created it first; lock it on the next pass
    raise DocumentError(_("Could not take the next number of the register; try again."))


def format_number(n: int) -> str:
    """Decree 30 numbers start at 01: one-digit numbers are written with a leading zero."""
    return f"{n:02d}"


def notation_for(*, doc_type: str, agency: Unit, drafting_unit: Unit | None = None) -> str:
    """``QĐ-UBND`` for a decision of a People's Committee, ``UBND-VP`` for an official letter
    drafted by its office (an official letter carries no type abbreviation)."""
    agency_abbr = profile_for(agency).abbreviation or _fallback_abbreviation(agency)
    parts = [TYPE_ABBREVIATIONS.get(DocumentType(doc_type), ""), agency_abbr]
    if drafting_unit is not None and drafting_unit.pk != agency.pk:
        division = profile_for(drafting_unit).abbreviation
        if division:
            parts.append(division)
    notation = "-".join(p for p in parts if p)
    if len(notation) > 30:
        raise DocumentError(_("The notation “%(n)s” is longer than 30 characters.") % {"n": notation})
    return notation


def _fallback_abbreviation(unit: Unit) -> str:
    """Initials of the name, for agencies whose administrator has not set an abbreviation."""
    words = [w for w in unit.name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words)[:10]


def identifier_for(*, organ_id: str, issued_on: dt.date, number: str, notation: str) -> str:
    """Decision 395/QĐ-BTTTT: ``000.00.00.G22,2015/09/30,7816/VPCP-TTĐT``."""
    return f"{organ_id},{issued_on:%Y/%m/%d},{number}/{notation}"


def submit_due(*, agency: Unit, arrived_at: dt.datetime, urgency: str) -> dt.datetime:
    """Before the leader the same day, at the latest the next working day; urgent ones at once
    (Decree 30 Art. 22): the end of the next working day, or two office hours when urgent."""
    cal = calendar_for_unit(agency)
    if urgency != Urgency.NORMAL:
        return due(start=arrived_at, limit=Limit.working_hours(2), cal=cal)
    return due(start=arrived_at, limit=Limit.working_days(1), cal=cal)


def working_days_due(*, agency: Unit, start: dt.datetime, days: int) -> dt.datetime:
    """A handling deadline given in working days, on the agency's statutory calendar."""
    return due(start=start, limit=Limit.working_days(days), cal=calendar_for_unit(agency))


def document_file_store(
    *,
    document: Document,
    upload: Any,
    role: str,
    by: Actor | None,
    name: str = "",
    comment: str = "",
    note: Any = None,
    derived_from: DocumentFile | None = None,
) -> DocumentFile:
    """Store an upload checked by its content, with its SHA-256; versions count per role."""
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise DocumentError(" ".join(exc.messages), field="file") from exc
    version = DocumentFile.objects.filter(document=document, role=role).count() + 1
    record = DocumentFile(
        document=document,
        role=role,
        version=version,
        name=(name or getattr(upload, "name", "") or "file")[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=timezone.now(),
        comment=comment[:1000],
        note=note,
        derived_from=derived_from,
        text_state=TextState.PENDING,
    )
    record.file.save(f"{document.pk}-{checked.sha256[:16]}.{checked.extension}", upload, save=False)
    record.save()
    # Its text is extracted by the worker (PDF text layer, else OCR), then searchable.
    search_hooks.file_stored(record.pk, document.pk)
    if checked.content_type == "application/pdf":
        # Its signatures are checked by the worker; the document page shows the result.
        signature_check_request(sha256=checked.sha256, storage_name=record.file.name or "")
    return record


def audit(event: str, *, by: Actor | None, target: Any, scope: Unit | None, **after: Any) -> None:
    """The audit row of a document change, scoped to the agency's subtree for its readers.

    Every legally relevant change of a document passes here, so this is also where search
    learns of it: the document is reindexed once the transaction commits."""
    audit_record(event=event, actor=by, target=target, scope_path=scope.path if scope else "", after=after)
    document_id = _document_id_of(target)
    if document_id is not None:
        search_hooks.document_changed(document_id)


def _document_id_of(target: Any) -> int | None:
    """The document an audited object belongs to (a document, an entry, an assignment, …)."""
    for path in ("document_id", "entry.document_id", "assignment.entry.document_id"):
        value: Any = target
        for attribute in path.split("."):
            value = getattr(value, attribute, None)
        if isinstance(value, int):
            return value
    return target.pk if isinstance(target, Document) else None
