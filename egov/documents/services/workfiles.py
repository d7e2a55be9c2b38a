"""Work files (hồ sơ công việc, Decree 30 Annex VI): each unit's yearly file plan, opening a
file from a plan line or ad hoc, filing documents into it (one document may sit in several
files, never copied), closing it with its transfer date to the agency archive, legal hold, and
the warning 30 days before the transfer is due. The export (PDF + XML) is in
:mod:`egov.documents.services.workfile_export`."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Document,
    DraftState,
    FilePlanEntry,
    Retention,
    WorkFile,
    WorkFileItem,
    WorkFileState,
)
from egov.documents.permissions import agency_of, documents_visible_to
from egov.documents.selectors import TRANSFER_WARNING_DAYS, profile_for
from egov.documents.services import signing_archive
from egov.documents.services.common import audit
from egov.documents.workflow import Action, available_actions, require
from egov.notifications.services import notification_send
from egov.orgs.models import Unit

# Annex VI: the file code is the agency identifier (13) + year (4) + the file's notation (20).
NOTATION_MAX = 20
CODE_MAX = 40
_NOTATION_MARKS = frozenset(".-_/")
# Only documents that exist as issued (or received) texts are filed; drafts stay with the drafter.
FILEABLE_STATES = frozenset({DraftState.ISSUED, DraftState.RECALLED, DraftState.REPLACED})


class DocumentNotFound(DocumentError):
    """The document does not exist for this person (pages and the API answer 404)."""


def _check_notation(code: str) -> str:
    code = code.strip()
    if not code:
        raise DocumentError(_("Enter the file's code in the plan."), field="code")
    if len(code) > NOTATION_MAX:
        raise DocumentError(
            _("The file's code in the plan has at most %(n)s characters.") % {"n": NOTATION_MAX}, field="code"
        )
    if not code[0].isalnum() or not all(ch.isalnum() or ch in _NOTATION_MARKS for ch in code):
        raise DocumentError(
            _("Use letters, digits, dots, dashes, underscores and slashes in the code, without spaces."),
            field="code",
        )
    return code


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DocumentError(_("Enter the title of the file."), field="title")
    if len(title) > 500:
        raise DocumentError(_("The title has at most 500 characters."), field="title")
    return title


def _check_retention(retention: str) -> str:
    if retention not in Retention.values:
        raise DocumentError(_("Choose the retention period."), field="retention")
    return retention


def _check_owner(owner: Actor | None, unit: Unit) -> None:
    if owner is not None and Action.FILE_OPEN not in available_actions(owner, unit):
        raise DocumentError(_("The person in charge must work in this unit."), field="owner")


def _check_year(year: int) -> int:
    today = timezone.localdate()
    if not today.year - 10 <= year <= today.year + 1:
        raise DocumentError(
            _("Choose a year between %(a)s and %(b)s.") % {"a": today.year - 10, "b": today.year + 1},
            field="year",
        )
    return year


def _plan_code_taken(year: int, code: str) -> DocumentError:
    return DocumentError(
        _("The plan for %(year)s already has a line with the code “%(code)s”.")
        % {"year": year, "code": code},
        field="code",
    )


def _check_plan_code_free(*, unit: Unit, year: int, code: str, entry: FilePlanEntry | None) -> None:
    same = FilePlanEntry.objects.filter(unit=unit, year=year, code__iexact=code)
    if entry is not None:
        same = same.exclude(pk=entry.pk)
        if entry.files.exists() and (entry.code != code or entry.year != year):
            raise DocumentError(
                _("A file was opened from this line: its code and year can no longer change."), field="code"
            )
    if same.exists():
        raise _plan_code_taken(year, code)


@transaction.atomic
def file_plan_entry_save(
    *,
    unit: Unit,
    year: int,
    code: str,
    title: str,
    retention: str,
    by: Actor,
    owner: Actor | None = None,
    entry: FilePlanEntry | None = None,
) -> FilePlanEntry:
    """Add a line to the unit's yearly file plan (danh mục hồ sơ), or change one. The code is
    unique per unit and year; once a file was opened from a line its code no longer changes."""
    require(Action.PLAN_EDIT, by, unit)
    if entry is not None:
        entry = FilePlanEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.unit_id != unit.pk:
            raise DocumentError(_("This line belongs to another unit's plan."), field="unit")
    code = _check_notation(code)
    values = {
        "year": _check_year(year),
        "code": code,
        "title": _check_title(title),
        "retention": _check_retention(retention),
        "owner": owner,
    }
    _check_owner(owner, unit)
    _check_plan_code_free(unit=unit, year=year, code=code, entry=entry)
    created = entry is None
    entry = entry or FilePlanEntry(unit=unit)
    for name, value in values.items():
        setattr(entry, name, value)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # the same code saved meanwhile by someone else
        raise _plan_code_taken(year, code) from exc
    audit(
        AuditEvent.WORK_FILE_CHANGED,
        by=by,
        target=entry,
        scope=unit,
        change="plan_added" if created else "plan_changed",
        year=entry.year,
        code=entry.code,
        title=entry.title,
        retention=entry.retention,
    )
    return entry


def agency_identifier(unit: Unit) -> str:
    """The agency part of a file code: its electronic identifier (mã định danh), else its
    abbreviation, so that files can be coded before the identifier is entered."""
    agency = agency_of(unit)
    return agency.agency_code or profile_for(agency).abbreviation or f"U{agency.pk}"


def work_file_code(*, unit: Unit, year: int, notation: str) -> str:
    """``<agency identifier>.<year>.<notation>`` (Annex VI), at most 40 characters."""
    code = f"{agency_identifier(unit)}.{year}.{_check_notation(notation)}"
    if len(code) > CODE_MAX:
        raise DocumentError(
            _("The file code “%(code)s” is longer than %(n)s characters; shorten the code in the plan.")
            % {"code": code, "n": CODE_MAX},
            field="code",
        )
    return code


def _check_opened_on(opened_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if opened_on is not None and opened_on > today:
        raise DocumentError(_("The opening date cannot be in the future."), field="opened_on")
    return opened_on or today


def _check_description(description: str) -> str:
    description = " ".join(description.split())
    if len(description) > 500:
        raise DocumentError(_("The description has at most 500 characters."), field="description")
    return description


def _file_code_taken(code: str, field: str) -> DocumentError:
    return DocumentError(
        _("The agency already has a work file with the code “%(code)s”.") % {"code": code}, field=field
    )


def _check_file_code_free(*, unit: Unit, code: str, field: str) -> None:
    agency = agency_of(unit)
    if WorkFile.objects.filter(unit__path__startswith=agency.path, code__iexact=code).exists():
        raise _file_code_taken(code, field)


@transaction.atomic
def work_file_open(
    *,
    unit: Unit,
    by: Actor,
    plan_entry: FilePlanEntry | None = None,
    notation: str = "",
    title: str = "",
    retention: str = "",
    description: str = "",
    owner: Actor | None = None,
    opened_on: dt.date | None = None,
) -> WorkFile:
    """Open a work file in the unit, from a line of its file plan (code, title, retention and
    person in charge taken from the line unless given) or ad hoc. The file code is unique within
    the agency, so the archive can tell every file apart."""
    require(Action.FILE_OPEN, by, unit)
    opened_on = _check_opened_on(opened_on)
    year = opened_on.year
    if plan_entry is not None:
        if plan_entry.unit_id != unit.pk:
            raise DocumentError(_("This line belongs to another unit's plan."), field="plan_entry")
        notation, year = plan_entry.code, plan_entry.year
        title = title or plan_entry.title
        retention = retention or plan_entry.retention
        owner = owner or plan_entry.owner
    owner = owner or by
    _check_owner(owner, unit)
    description = _check_description(description)
    code = work_file_code(unit=unit, year=year, notation=notation)
    code_field = "plan_entry" if plan_entry is not None else "code"
    _check_file_code_free(unit=unit, code=code, field=code_field)
    work_file = WorkFile(
        unit=unit,
        plan_entry=plan_entry,
        year=year,
        code=code,
        title=_check_title(title),
        retention=_check_retention(retention),
        owner=owner,
        description=description,
        opened_on=opened_on,
    )
    try:
        with transaction.atomic():
            work_file.save()
    except IntegrityError as exc:  # opened meanwhile by someone else
        raise _file_code_taken(code, code_field) from exc
    audit(
        AuditEvent.WORK_FILE_CHANGED,
        by=by,
        target=work_file,
        scope=unit,
        change="opened",
        code=code,
        title=work_file.title,
        plan_entry=plan_entry.pk if plan_entry else None,
        owner=work_file.owner_id,
    )
    return work_file


def _locked(work_file: WorkFile) -> WorkFile:
    return WorkFile.objects.select_for_update().select_related("unit", "owner").get(pk=work_file.pk)


@transaction.atomic
def work_file_add_document(*, work_file: WorkFile, document: Document, by: Actor) -> WorkFileItem:
    """File a document the person may see at the end of the file's index. The document is
    referenced, not copied: the same document may sit in several files."""
    work_file = _locked(work_file)
    require(Action.FILE_ADD, by, work_file)
    if not documents_visible_to(by).filter(pk=document.pk).exists():
        raise DocumentNotFound(_("No such document."), field="document")
    if document.state not in FILEABLE_STATES:
        raise DocumentError(
            _("Only issued or received documents are filed; this one is still a draft."), field="document"
        )
    if work_file.items.filter(document=document).exists():
        raise DocumentError(_("This document is already in the file."), field="document")
    last = work_file.items.aggregate(last=Max("order"))["last"] or 0
    item = WorkFileItem.objects.create(
        work_file=work_file, document=document, order=last + 1, added_by=by, added_at=timezone.now()
    )
    audit(
        AuditEvent.WORK_FILE_CHANGED,
        by=by,
        target=work_file,
        scope=work_file.unit,
        change="document_added",
        document=document.pk,
        order=item.order,
    )
    # A file kept long-term gets the document's signatures with long-term validation data.
    signing_archive.document_filed(work_file=work_file, document=document)
    return item


@transaction.atomic
def work_file_remove_document(
    *, work_file: WorkFile, document: Document, by: Actor, reason: str = ""
) -> None:
    """Take a document out of an open file (the document itself stays, and stays in any other
    file); the audit row keeps what was removed, from where, and why."""
    work_file = _locked(work_file)
    require(Action.FILE_REMOVE, by, work_file)
    item = work_file.items.filter(document=document).first()
    if item is None:
        raise DocumentError(_("This document is not in the file."), field="document")
    order = item.order
    item.delete()
    audit(
        AuditEvent.WORK_FILE_CHANGED,
        by=by,
        target=work_file,
        scope=work_file.unit,
        change="document_removed",
        document=document.pk,
        order=order,
        reason=" ".join(reason.split())[:1000],
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 → 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def work_file_close(*, work_file: WorkFile, by: Actor, closed_on: dt.date | None = None) -> WorkFile:
    """Close the file when its matter ends: nothing is added any more, and the date by which it
    must reach the agency archive is set (``EGOV_ARCHIVE_TRANSFER_MONTHS`` after closing)."""
    work_file = _locked(work_file)
    require(Action.FILE_CLOSE, by, work_file)
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise DocumentError(_("The closing date cannot be in the future."), field="closed_on")
    if closed_on < work_file.opened_on:
        raise DocumentError(_("The closing date cannot be before the file was opened."), field="closed_on")
    if not work_file.items.exists():
        raise DocumentError(_("An empty file cannot be closed: file its documents first."))
    work_file.state = WorkFileState.CLOSED
    work_file.closed_on = closed_on
    work_file.transfer_due_on = add_months(closed_on, settings.EGOV_ARCHIVE_TRANSFER_MONTHS)
    work_file.save(update_fields=["state", "closed_on", "transfer_due_on"])
    audit(
        AuditEvent.WORK_FILE_CHANGED,
        by=by,
        target=work_file,
        scope=work_file.unit,
        change="closed",
        closed_on=closed_on.isoformat(),
        transfer_due_on=work_file.transfer_due_on.isoformat(),
    )
    return work_file


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise DocumentError(
            _("Give the reason (e.g. the inspection or case that needs the file)."), field="reason"
        )
    if len(reason) > 1000:
        raise DocumentError(_("The reason has at most 1000 characters."), field="reason")
    return reason


@transaction.atomic
def work_file_hold(*, work_file: WorkFile, reason: str, by: Actor) -> WorkFile:
    """Put the file under legal hold (Annex VI): the file and each of its documents are frozen
    until the hold is released."""
    work_file = _locked(work_file)
    require(Action.FILE_HOLD, by, work_file)
    reason = _reason(reason)
    work_file.legal_hold = True
    work_file.save(update_fields=["legal_hold"])
    ids = list(work_file.items.values_list("document_id", flat=True))
    Document.objects.filter(pk__in=ids).update(legal_hold=True)
    audit(
        AuditEvent.DOCUMENT_HOLD,
        by=by,
        target=work_file,
        scope=work_file.unit,
        hold=True,
        reason=reason,
        documents=ids,
    )
    return work_file


@transaction.atomic
def work_file_release(*, work_file: WorkFile, reason: str, by: Actor) -> WorkFile:
    """Lift the legal hold; a document stays frozen while another held file contains it."""
    work_file = _locked(work_file)
    require(Action.FILE_RELEASE, by, work_file)
    reason = _reason(reason)
    work_file.legal_hold = False
    work_file.save(update_fields=["legal_hold"])
    ids = list(work_file.items.values_list("document_id", flat=True))
    still_held = set(
        WorkFileItem.objects.filter(document_id__in=ids, work_file__legal_hold=True).values_list(
            "document_id", flat=True
        )
    )
    released = [pk for pk in ids if pk not in still_held]
    Document.objects.filter(pk__in=released).update(legal_hold=False)
    audit(
        AuditEvent.DOCUMENT_HOLD,
        by=by,
        target=work_file,
        scope=work_file.unit,
        hold=False,
        reason=reason,
        documents=released,
    )
    return work_file


def _warn_owner(work_file: WorkFile) -> None:
    owner = work_file.owner
    notification_send(
        kind="documents.work_file_transfer_due",
        subject=_("Work file %(code)s is due for transfer to the archive") % {"code": work_file.code},
        body=_("The work file “%(title)s” (%(code)s) must be transferred to the agency archive by %(due)s.")
        % {
            "title": work_file.title,
            "code": work_file.code,
            "due": work_file.transfer_due_on.strftime("%d/%m/%Y") if work_file.transfer_due_on else "",
        },
        email=owner.email,
        related=work_file,
    )


def transfer_warnings_sweep(*, today: dt.date | None = None, limit: int = 500) -> int:
    """Flag closed files whose transfer to the archive is due within 30 days, once each (a
    conditional update decides, so two schedulers never warn twice), and tell their owners."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=TRANSFER_WARNING_DAYS)
    candidates = WorkFile.objects.filter(
        state=WorkFileState.CLOSED, transfer_due_on__lte=horizon, transfer_warned_at__isnull=True
    ).values_list("pk", flat=True)[:limit]
    warned = 0
    now = timezone.now()
    for pk in list(candidates):
        with transaction.atomic():
            if (
                WorkFile.objects.filter(pk=pk, transfer_warned_at__isnull=True).update(transfer_warned_at=now)
                != 1
            ):
                continue  # another scheduler won
            work_file = WorkFile.objects.select_related("unit", "owner").get(pk=pk)
            _warn_owner(work_file)
            audit(
                AuditEvent.WORK_FILE_CHANGED,
                by=None,
                target=work_file,
                scope=work_file.unit,
                change="transfer_warned",
                transfer_due_on=work_file.transfer_due_on.isoformat() if work_file.transfer_due_on else None,
            )
            warned += 1
    return warned
