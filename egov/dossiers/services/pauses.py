"""Pauses: pause, resume, the applicant's supplement, and extension of the due time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.dossiers import clock
from egov.dossiers.errors import DossierError
from egov.dossiers.models import (
    Dossier,
    DossierFile,
    DossierPaper,
    DossierState,
    DossierStep,
    EventKind,
    Extension,
    FileKind,
    Pause,
    PauseKind,
    StepStatus,
)
from egov.dossiers.notify import notify_applicant
from egov.dossiers.services.common import (
    _audit,
    _event,
    _locked,
    dossier_attach_file,
)
from egov.dossiers.services.intake import PaperIn
from egov.dossiers.workflow import Action, require
from egov.workcal import elapsed

# ---------------------------------------------------------------- pauses


@transaction.atomic
def dossier_pause(
    *, dossier: Dossier, kind: str, reason: str, by: Actor, items: str = "", contact: str = ""
) -> Pause:
    """Stop the clock: a supplement request (form 02), a financial obligation, or a consultation."""
    dossier = _locked(dossier)
    require(Action.PAUSE, by, dossier)
    if not reason.strip():
        raise DossierError(_("Give the reason."), "reason")
    if kind == PauseKind.SUPPLEMENT and not items.strip():
        raise DossierError(_("List what the applicant must supplement."), "items")
    pause = Pause.objects.create(
        dossier=dossier,
        kind=kind,
        started_at=timezone.now(),
        reason=reason.strip(),
        items=items.strip(),
        contact=contact.strip(),
        restarts_clock=kind == PauseKind.SUPPLEMENT
        and dossier.procedure_version.supplement_mode == "restart",
    )
    dossier.state = {
        PauseKind.SUPPLEMENT: DossierState.SUPPLEMENT,
        PauseKind.OBLIGATION: DossierState.OBLIGATION,
        PauseKind.CONSULTATION: DossierState.CONSULTATION,
    }[PauseKind(kind)]
    dossier.save(update_fields=["state"])
    _event(
        dossier,
        EventKind.SUPPLEMENT_REQUESTED if kind == PauseKind.SUPPLEMENT else EventKind.PAUSED,
        by,
        reason,
        items=items,
    )
    if kind == PauseKind.SUPPLEMENT:
        notify_applicant(dossier, "supplement")
    _audit(dossier, AuditEvent.DOSSIER_PAUSED, by, kind=kind)
    return pause


@transaction.atomic
def dossier_resume(
    *, dossier: Dossier, by: Actor, papers: list[PaperIn] | None = None, note: str = ""
) -> Dossier:
    """End the pause: the legal due time moves by the paused working time (or restarts)."""
    dossier = _locked(dossier)
    require(Action.RESUME, by, dossier)
    pause = dossier.pauses.get(ended_at__isnull=True)
    now = timezone.now()
    pause.ended_at = now
    pause.save(update_fields=["ended_at"])
    round_no = dossier.pauses.filter(kind=PauseKind.SUPPLEMENT).count()
    for p in papers or []:
        DossierPaper.objects.create(
            dossier=dossier,
            name=p.name,
            originals=p.originals,
            certified_copies=p.certified_copies,
            photocopies=p.photocopies,
            supplement_round=round_no,
        )
    if dossier.received_at is None:
        # Papers asked for before acceptance: no clock yet; the submission waits to be accepted.
        dossier.state = DossierState.REGISTERED
        dossier.save(update_fields=["state"])
        _event(dossier, EventKind.PAPERS_RECEIVED, by, note)
        _audit(dossier, AuditEvent.DOSSIER_RESUMED, by, before_acceptance=True)
        return dossier
    previous_due = dossier.statutory_due_at
    # A request made before acceptance lies before the clock's start and does not count.
    counted = [p for p in dossier.pauses.all() if p.started_at >= dossier.received_at]
    dossier.statutory_due_at = clock.statutory_due(dossier, counted)
    extension = dossier.extensions.order_by("-created_at").first()
    dossier.due_at = (
        max(dossier.statutory_due_at, extension.new_due_at) if extension else dossier.statutory_due_at
    )
    dossier.overdue_marked_at = None if dossier.due_at > now else dossier.overdue_marked_at
    dossier.state = DossierState.PROCESSING
    dossier.save(update_fields=["state", "statutory_due_at", "due_at", "overdue_marked_at"])
    step = dossier.current_step
    if step is not None and step.status == StepStatus.ACTIVE:
        step.due_at = clock.step_due(dossier, now, max(1, _remaining_hours(step, pause)), "working_hours")
        step.save(update_fields=["due_at"])
    kind = EventKind.SUPPLEMENT_RECEIVED if pause.kind == PauseKind.SUPPLEMENT else EventKind.RESUMED
    _event(dossier, kind, by, note, previous_due=previous_due.isoformat() if previous_due else None)
    _audit(dossier, AuditEvent.DOSSIER_RESUMED, by, due_at=dossier.due_at.isoformat())
    return dossier


@transaction.atomic
def dossier_supplement_submit(
    *, dossier: Dossier, files: list[Any], by: Actor, note: str = ""
) -> list[DossierFile]:
    """The applicant sends the requested papers online. The clock stays paused: an officer checks
    them and resumes it (dossier_resume), as for papers brought to the counter."""
    dossier = _locked(dossier)
    require(Action.SUBMIT_SUPPLEMENT, by, dossier)
    if not files:
        raise DossierError(_("Attach at least one file."), "files")
    records = [dossier_attach_file(dossier=dossier, upload=f, kind=FileKind.SUPPLEMENT, by=by) for f in files]
    _event(dossier, EventKind.SUPPLEMENT_SUBMITTED, by, note.strip(), files=[r.name for r in records])
    _audit(dossier, "dossier.supplement_submitted", by, files=len(records))
    return records


def _remaining_hours(step: DossierStep, pause: Pause) -> int:
    cal = clock.calendar_of(step.dossier)
    budget = elapsed(start=step.started_at, end=step.due_at, cal=cal)
    used = (
        elapsed(start=step.started_at, end=pause.started_at, cal=cal)
        if pause.started_at > step.started_at
        else dt.timedelta(0)
    )
    return int((budget - used).total_seconds() // 3600)


# ---------------------------------------------------------------- extension


@transaction.atomic
def dossier_extend(*, dossier: Dossier, new_due_at: dt.datetime, reason: str, by: Actor) -> Extension:
    """Promise a new date (form 04). Classification still uses the legal due time."""
    dossier = _locked(dossier)
    require(Action.EXTEND, by, dossier)
    if not reason.strip():
        raise DossierError(_("Give the reason for the extension."), "reason")
    assert dossier.due_at is not None
    if new_due_at <= dossier.due_at:
        raise DossierError(_("The new date must be later than the current due time."), "new_due_at")
    extension = Extension.objects.create(
        dossier=dossier,
        previous_due_at=dossier.due_at,
        new_due_at=new_due_at,
        reason=reason.strip(),
        created_by=by,
    )
    dossier.due_at = new_due_at
    dossier.overdue_marked_at = None
    dossier.save(update_fields=["due_at", "overdue_marked_at"])
    _event(dossier, EventKind.EXTENDED, by, reason, new_due_at=new_due_at.isoformat())
    notify_applicant(dossier, "extended")
    _audit(dossier, AuditEvent.DOSSIER_EXTENDED, by, new_due_at=new_due_at.isoformat())
    return extension
