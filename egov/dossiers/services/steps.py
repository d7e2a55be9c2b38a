"""Processing: assign, forward and send back the steps of the internal process."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.permissions import role_paths
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.dossiers.errors import DossierError
from egov.dossiers.models import (
    Dossier,
    DossierStep,
    EventKind,
    StepStatus,
)
from egov.dossiers.services.common import (
    _audit,
    _event,
    _finish_step,
    _locked,
    _start_step,
    _steps_template,
)
from egov.dossiers.workflow import Action, require
from egov.orgs.models import Unit

# ---------------------------------------------------------------- processing


@transaction.atomic
def step_assign(*, dossier: Dossier, to: Actor, by: Actor) -> DossierStep:
    dossier = _locked(dossier)
    require(Action.ASSIGN, by, dossier)
    step = dossier.current_step
    assert step is not None
    # The assignee then acts on the step as its handler: they must hold its role there.
    if not any(step.unit.path.startswith(p) for p in role_paths(to, {step.role})):
        raise DossierError(_("This person does not hold the step's role in its unit."), "to")
    step.assigned_to = to
    step.save(update_fields=["assigned_to"])
    _event(dossier, EventKind.STEP_ASSIGNED, by, str(to), step=step.seq)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action="assign", step=step.seq, to=to.pk)
    return step


@transaction.atomic
def step_forward(*, dossier: Dossier, by: Actor, note: str = "", to_unit: Unit | None = None) -> Dossier:
    """Finish the current step and start the next one (handing over to ``to_unit`` when the
    next step belongs to another agency)."""
    dossier = _locked(dossier)
    require(Action.FORWARD, by, dossier)
    step = dossier.current_step
    assert step is not None
    now = timezone.now()
    templates = _steps_template(dossier)
    following = [t for t in templates if t.order > step.order]
    if not following:
        raise DossierError(_("This is the last step: record the decision or return the result."))
    _finish_step(step, now, by, note=note)
    nxt = following[0]
    if nxt.handover_to and to_unit is None:
        raise DossierError(_("Choose the agency this step is handed over to."), "to_unit")
    _start_step(dossier, nxt, now, by, unit=to_unit)
    dossier.save(update_fields=["current_step"])
    kind = EventKind.HANDED_OVER if to_unit is not None else EventKind.FORWARDED
    _event(dossier, kind, by, note, to=nxt.name)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action=kind, step=step.seq, timeliness=step.timeliness)
    return dossier


@transaction.atomic
def step_send_back(*, dossier: Dossier, to_order: int, reason: str, by: Actor) -> Dossier:
    dossier = _locked(dossier)
    require(Action.SEND_BACK, by, dossier)
    if not reason.strip():
        raise DossierError(_("Say why the dossier is sent back."), "reason")
    step = dossier.current_step
    assert step is not None
    target = next((t for t in _steps_template(dossier) if t.order == to_order and t.order < step.order), None)
    if target is None:
        raise DossierError(_("Choose an earlier step."), "to_order")
    now = timezone.now()
    _finish_step(step, now, by, status=StepStatus.SENT_BACK, note=reason)
    _start_step(dossier, target, now, by)
    dossier.save(update_fields=["current_step"])
    _event(dossier, EventKind.SENT_BACK, by, reason, to=target.name)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action="sent_back", step=step.seq)
    return dossier
