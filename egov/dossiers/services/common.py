"""Shared by the dossier services: errors, codes, events, audit, steps, locking and files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.services import audit_record
from egov.catalog.models import ProcessStep, StepRole
from egov.catalog.selectors import version_rules
from egov.core.uploads import check_upload
from egov.dossiers import clock
from egov.dossiers.errors import ActionForbidden, DossierError, WrongState
from egov.dossiers.models import (
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    EventKind,
    StepStatus,
    Timeliness,
)
from egov.orgs.models import Unit
from egov.signatures.checks import check_request as signature_check_request
from egov.workcal import Status, classify

# ---------------------------------------------------------------- helpers


def agency_code_for(unit: Unit) -> str:
    """The electronic identifier of the unit or of its nearest ancestor that has one."""
    if unit.agency_code:
        return unit.agency_code
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    codes = dict(Unit.objects.filter(pk__in=ids).exclude(agency_code="").values_list("pk", "agency_code"))
    for pk in reversed(ids):
        if pk in codes:
            return codes[pk]
    raise DossierError(_("The receiving unit has no agency identifier; ask the administrator to set one."))


def dossier_code_next(*, agency_code: str, day: dt.date) -> str:
    """`<agency>-<YYMMDD>-<NNNN>`: consecutive per agency and day, never reused.

    The counter row is locked for the rest of the transaction, so concurrent receptions
    queue here; a reception that fails rolls its number back with it (no gaps). One statement
    both locks the row and takes the next number (UPDATE … RETURNING)."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE agency_code = %s AND day = %s RETURNING last"  # noqa: S608
    params = [agency_code, connection.ops.adapt_datefield_value(day)]
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    DailyCounter.objects.create(agency_code=agency_code, day=day, last=0)
            except IntegrityError:
                pass  # another reception created it first; lock it on the next pass
            continue
        return f"{agency_code}-{day:%y%m%d}-{row[0]:04d}"
    raise DossierError(_("Could not allocate a dossier code; try again."))


def _event_row(dossier: Dossier, kind: str, by: Actor | None, text: str = "", **data: Any) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        at=timezone.now(),
        actor=by if getattr(by, "pk", None) else None,
        kind=kind,
        text=text,
        data=data,
    )


def _event(dossier: Dossier, kind: str, by: Actor | None, text: str = "", **data: Any) -> None:
    _event_row(dossier, kind, by, text, **data).save(force_insert=True)


def _audit(dossier: Dossier, event: str, by: Actor | None, **after: Any) -> None:
    audit_record(
        event=event,
        actor=by,
        target=dossier,
        scope_path=dossier.receiving_unit.path,
        after={"state": dossier.state, **after},
    )


def _steps_template(dossier: Dossier) -> list[ProcessStep]:
    return version_rules(dossier.procedure_version).steps_at(dossier.level)


def _unit_for_step(dossier: Dossier, role: str) -> Unit:
    return dossier.receiving_unit if role == StepRole.ONE_STOP_OFFICER else dossier.resolving_unit


def _step_row(
    dossier: Dossier, template: Any, at: dt.datetime, seq: int, unit: Unit | None = None
) -> DossierStep:
    return DossierStep(
        dossier=dossier,
        seq=seq,
        order=template.order,
        name=template.name,
        role=template.role,
        unit=unit or _unit_for_step(dossier, template.role),
        started_at=at,
        due_at=clock.step_due(dossier, at, template.budget_amount, template.budget_unit),
    )


def _start_step(
    dossier: Dossier, template: Any, at: dt.datetime, by: Actor, unit: Unit | None = None
) -> DossierStep:
    seq = (dossier.steps.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    step = _step_row(dossier, template, at, seq, unit)
    step.save(force_insert=True)
    dossier.current_step = step
    _event(dossier, EventKind.STEP_STARTED, by, step.name, seq=seq)
    return step


def _mark_finished(step: DossierStep, at: dt.datetime, by: Actor, status: str, note: str) -> None:
    step.status = status
    step.finished_at = at
    step.finished_by = by if getattr(by, "pk", None) else None
    step.timeliness = _timeliness(step.due_at, at)
    step.note = note


def _finish_step(
    step: DossierStep, at: dt.datetime, by: Actor, status: str = StepStatus.DONE, note: str = ""
) -> None:
    _mark_finished(step, at, by, status, note)
    step.save(update_fields=["status", "finished_at", "finished_by", "timeliness", "note"])


def _timeliness(due_at: dt.datetime, finished_at: dt.datetime) -> str:
    status = classify(due_at=due_at, finished_at=finished_at)
    return {Status.EARLY: Timeliness.EARLY, Status.ON_TIME: Timeliness.ON_TIME}.get(status, Timeliness.LATE)


def _locked(dossier: Dossier) -> Dossier:
    """Re-read under lock: the state we act on is the state in the database, not the form's."""
    return (
        Dossier.objects.select_for_update()
        .select_related("procedure_version", "receiving_unit", "resolving_unit")
        .get(pk=dossier.pk)
    )


def dossier_attach_file(
    *, dossier: Dossier, upload: Any, kind: str, by: Actor | None, name: str = ""
) -> DossierFile:
    """Store an uploaded file (already checked by content) with its SHA-256."""
    checked = check_upload(upload)
    record = DossierFile(
        dossier=dossier,
        kind=kind,
        name=(name or upload.name)[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    record.file.save(f"{dossier.pk}-{checked.sha256[:16]}.{checked.extension}", upload, save=False)
    record.save()
    if checked.content_type == "application/pdf":
        # Its signatures are checked by the worker; the dossier page shows the result.
        signature_check_request(sha256=checked.sha256, storage_name=record.file.name or "")
    return record


__all__ = [
    "ActionForbidden",
    "DossierError",
    "WrongState",
    "agency_code_for",
    "dossier_attach_file",
    "dossier_code_next",
]
