"""Closing: stop, withdrawal, decision and return of the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.catalog.models import StepRole
from egov.dossiers.errors import DossierError
from egov.dossiers.models import (
    Dossier,
    DossierState,
    EventKind,
    FileKind,
    Outcome,
    ReturnMethod,
    StepStatus,
)
from egov.dossiers.notify import notify_applicant
from egov.dossiers.services.common import (
    _audit,
    _event,
    _finish_step,
    _locked,
    _start_step,
    _steps_template,
    _timeliness,
    dossier_attach_file,
)
from egov.dossiers.workflow import Action, require


def _end_open_pause(dossier: Dossier, at: dt.datetime) -> None:
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)


@transaction.atomic
def dossier_stop(*, dossier: Dossier, reason: str, by: Actor) -> Dossier:
    """Stop processing (form 05)."""
    return _terminate(
        dossier, DossierState.STOPPED, EventKind.STOPPED, AuditEvent.DOSSIER_STOPPED, reason, by
    )


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, reason: str, by: Actor) -> Dossier:
    """Record that the applicant withdrew the dossier."""
    return _terminate(
        dossier, DossierState.WITHDRAWN, EventKind.WITHDRAWN, AuditEvent.DOSSIER_WITHDRAWN, reason, by
    )


def _terminate(dossier: Dossier, state: str, kind: str, event: str, reason: str, by: Actor) -> Dossier:
    dossier = _locked(dossier)
    require(Action.STOP if state == DossierState.STOPPED else Action.WITHDRAW, by, dossier)
    if not reason.strip():
        raise DossierError(_("Give the reason."), "reason")
    now = timezone.now()
    _end_open_pause(dossier, now)
    if dossier.current_step is not None and dossier.current_step.status == StepStatus.ACTIVE:
        _finish_step(dossier.current_step, now, by, note=reason)
    dossier.state = state
    dossier.outcome_reason = reason.strip()
    dossier.terminated_at = now
    dossier.save(update_fields=["state", "outcome_reason", "terminated_at"])
    _event(dossier, kind, by, reason)
    _audit(dossier, event, by, reason=reason)
    return dossier


# ---------------------------------------------------------------- decision and return


@transaction.atomic
def dossier_decide(
    *, dossier: Dossier, outcome: str, reason: str, by: Actor, result_file: Any = None
) -> Dossier:
    """Record the result; the dossier is resolved now and classified for good against the
    legal due time. Processing moves to the final (return) step."""
    dossier = _locked(dossier)
    require(Action.DECIDE, by, dossier)
    if outcome not in Outcome.values:
        raise DossierError(_("Choose approved or refused."), "outcome")
    if outcome == Outcome.REFUSED and not reason.strip():
        raise DossierError(_("A refusal needs its reason."), "reason")
    now = timezone.now()
    step = dossier.current_step
    assert step is not None and dossier.statutory_due_at is not None
    _finish_step(step, now, by)
    dossier.state = DossierState.RESOLVED
    dossier.outcome = outcome
    dossier.outcome_reason = reason.strip()
    dossier.resolved_at = now
    dossier.timeliness = _timeliness(dossier.statutory_due_at, now)
    last = _steps_template(dossier)[-1]
    if last.order > step.order and last.role == StepRole.ONE_STOP_OFFICER:
        _start_step(dossier, last, now, by)
    else:
        dossier.current_step = None
    dossier.save(
        update_fields=["state", "outcome", "outcome_reason", "resolved_at", "timeliness", "current_step"]
    )
    if result_file is not None:
        dossier_attach_file(dossier=dossier, upload=result_file, kind=FileKind.RESULT, by=by)
    _event(dossier, EventKind.DECIDED, by, reason, outcome=outcome, timeliness=dossier.timeliness)
    notify_applicant(dossier, "result_ready")
    _audit(dossier, AuditEvent.DOSSIER_DECIDED, by, outcome=outcome, timeliness=dossier.timeliness)
    return dossier


@transaction.atomic
def dossier_return(*, dossier: Dossier, by: Actor, received_by: str, tracking: str = "") -> Dossier:
    """Hand the result over (counter, post with tracking number, or online); entered in the register (form 07)."""
    dossier = _locked(dossier)
    require(Action.RETURN, by, dossier)
    if dossier.return_method == ReturnMethod.POST and not tracking.strip():
        raise DossierError(_("Enter the postal tracking number."), "tracking")
    if dossier.return_method == ReturnMethod.COUNTER and not received_by.strip():
        raise DossierError(_("Enter who received the result."), "received_by")
    now = timezone.now()
    if dossier.current_step is not None and dossier.current_step.status == StepStatus.ACTIVE:
        _finish_step(dossier.current_step, now, by)
    dossier.state = DossierState.RETURNED
    dossier.returned_at = now
    dossier.returned_to = received_by.strip()
    dossier.postal_tracking = tracking.strip()
    dossier.current_step = None
    dossier.save(update_fields=["state", "returned_at", "returned_to", "postal_tracking", "current_step"])
    _event(dossier, EventKind.RETURNED, by, received_by, tracking=tracking)
    _audit(dossier, AuditEvent.DOSSIER_RETURNED, by)
    return dossier
