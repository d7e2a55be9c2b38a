"""Intake: receive at the counter, register online, accept, refuse, request papers."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.catalog.models import Channel, ProcedureVersion, StepRole, VersionStatus
from egov.catalog.selectors import version_rules
from egov.dossiers import clock
from egov.dossiers.errors import DossierError
from egov.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierState,
    DossierStep,
    EventKind,
    FileKind,
    Pause,
    PauseKind,
    ReturnMethod,
    StepStatus,
)
from egov.dossiers.notify import notify_applicant
from egov.dossiers.services.common import (
    _audit,
    _event,
    _event_row,
    _finish_step,
    _locked,
    _mark_finished,
    _start_step,
    _step_row,
    _steps_template,
    agency_code_for,
    dossier_attach_file,
    dossier_code_next,
)
from egov.dossiers.workflow import Action, require, require_counter
from egov.orgs.models import Unit
from egov.workcal import clock_start

# ---------------------------------------------------------------- intake


@dataclass
class PaperIn:
    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0


@dataclass
class ApplicantIn:
    kind: str
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def _check_receivable(version: ProcedureVersion, unit: Unit, resolving_unit: Unit) -> str:
    if version.status != VersionStatus.PUBLISHED:
        raise DossierError(_("This procedure is not in force."), "procedure")
    if unit.kind != "one_stop" or unit.valid_to is not None:
        raise DossierError(_("Dossiers are received at a one-stop department in operation."), "unit")
    if unit.level not in version.levels:
        raise DossierError(
            _("This procedure is not handled at this level (%(level)s).")
            % {"level": unit.get_level_display()},
            "procedure",
        )
    if not version_rules(version).steps_at(unit.level):
        raise DossierError(_("The procedure has no internal process at this level."), "procedure")
    if not resolving_unit.path.startswith(_area_path(unit)) and resolving_unit.level != "province":
        raise DossierError(_("The resolving agency must belong to the same area."), "resolving_unit")
    return unit.level


def _area_path(unit: Unit) -> str:
    parts = [p for p in unit.path.strip("/").split("/") if p]
    # one-stop → committee → area: the area is two levels up.
    return "/" + "/".join(parts[:-2]) + "/" if len(parts) > 2 else unit.path


def _check_return(return_method: str, return_address: str) -> None:
    if return_method == ReturnMethod.POST and not return_address.strip():
        raise DossierError(_("Give the postal address for the result."), "return_address")


def _new_dossier(
    *,
    unit: Unit,
    version: ProcedureVersion,
    level: str,
    resolving_unit: Unit,
    channel: str,
    applicant: ApplicantIn,
    applicant_user: Actor | None,
    return_method: str,
    return_address: str,
    summary: str,
    intake_token: str | None,
    at: dt.datetime,
    **fields: Any,
) -> Dossier:
    """A new dossier (not saved yet) with its code for the day of ``at`` and a new look-up secret."""
    dossier = Dossier(
        procedure_version=version,
        level=level,
        receiving_unit=unit,
        resolving_unit=resolving_unit,
        channel=channel,
        return_method=return_method,
        return_address=return_address.strip(),
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_user=applicant_user,
        summary=summary.strip(),
        lookup_secret=secrets.token_hex(4).upper(),
        intake_token=intake_token or None,
        **fields,
    )
    dossier.code = dossier_code_next(agency_code=agency_code_for(unit), day=timezone.localtime(at).date())
    return dossier


def _save_new(dossier: Dossier, *, papers: list[PaperIn], files: list[Any] | None, by: Actor | None) -> None:
    """Validate and insert a new dossier with its papers and scanned files."""
    # Foreign keys are objects in hand (re-reading them proves nothing the database's constraints
    # do not), and the code is unique by construction (the locked counter; the unique index backs it).
    dossier.full_clean(
        exclude=[
            "code",
            "current_step",
            "procedure_version",
            "receiving_unit",
            "resolving_unit",
            "applicant_user",
            "created_by",
            # Unique: checked above and backed by the index (a same-instant repeat is caught below).
            "intake_token",
        ]
    )
    try:
        dossier.save(force_insert=True)
    except IntegrityError as exc:
        # A double click at the same instant: both passed the token check before either committed.
        # The first one's dossier stands; this one is refused and rolled back, code included (no
        # savepoint: the whole reception is abandoned, and intake keeps its statement budget).
        if dossier.intake_token and "intake_token" in str(exc):
            raise DossierError(
                _("This intake form was saved a moment ago; find the dossier in the list."), "intake_token"
            ) from exc
        raise
    DossierPaper.objects.bulk_create(
        DossierPaper(
            dossier=dossier,
            name=p.name,
            originals=p.originals,
            certified_copies=p.certified_copies,
            photocopies=p.photocopies,
        )
        for p in papers
    )
    for upload in files or []:
        dossier_attach_file(dossier=dossier, upload=upload, kind=FileKind.SCAN, by=by)


@transaction.atomic
def dossier_receive(
    *,
    unit: Unit,
    version: ProcedureVersion,
    channel: str,
    applicant: ApplicantIn,
    papers: list[PaperIn],
    return_method: str,
    by: Actor,
    resolving_unit: Unit | None = None,
    return_address: str = "",
    fees_collected: int = 0,
    summary: str = "",
    received_at: dt.datetime | None = None,
    applicant_user: Actor | None = None,
    files: list[Any] | None = None,
    intake_token: str | None = None,
) -> Dossier:
    """Receive a complete dossier at the counter (or by post): give it its code and its legal due time.

    A repeated ``intake_token`` returns the dossier it already made, but only to the officer who
    made it at the same counter; anybody else's token is refused (the form must be reopened)."""
    require_counter(by, unit)
    existing = _already_received(intake_token, unit=unit, by=by)
    if existing is not None:
        return existing
    resolving_unit = resolving_unit or unit.parent or unit
    level = _check_receivable(version, unit, resolving_unit)
    if not papers:
        raise DossierError(_("Tick the papers received."), "papers")
    _check_return(return_method, return_address)
    at = received_at or timezone.now()
    dossier = _new_dossier(
        unit=unit, version=version, level=level, resolving_unit=resolving_unit, channel=channel,
        applicant=applicant, applicant_user=applicant_user, return_method=return_method,
        return_address=return_address, summary=summary, intake_token=intake_token, at=at,
        state=DossierState.PROCESSING, fees_collected=fees_collected, received_at=at,
        created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    dossier.statutory_due_at = clock.statutory_due(dossier, [])
    dossier.due_at = dossier.statutory_due_at
    dossier.clock_started_at = _clock_start(dossier)
    _save_new(dossier, papers=papers, files=files, by=by)
    _start_received(dossier, at, by)
    notify_applicant(dossier, "received")
    # Last: the audit entry takes the chain's global head lock, held until commit.
    _audit(dossier, AuditEvent.DOSSIER_RECEIVED, by, code=dossier.code, due_at=dossier.due_at.isoformat())
    return dossier


def _already_received(intake_token: str | None, *, unit: Unit, by: Actor) -> Dossier | None:
    """The dossier this officer already made at this counter from this intake form; refuses
    anybody else's token."""
    if not intake_token:
        return None
    existing = Dossier.objects.filter(intake_token=intake_token).first()
    if existing is None:
        return None
    if existing.receiving_unit_id == unit.pk and existing.created_by_id == by.pk:
        return existing
    raise DossierError(
        _("This intake form was already used for another reception; open a new form."),
        "intake_token",
    )


def _start_received(dossier: Dossier, at: dt.datetime, by: Actor) -> None:
    """The first steps and the timeline of a dossier just received, written at once."""
    events = [
        _event_row(
            dossier, EventKind.RECEIVED, by, _("Channel: %(c)s") % {"c": dossier.get_channel_display()}
        )
    ]
    templates = _steps_template(dossier)
    # A new dossier has no steps yet: number them here and write them (and the timeline) at once.
    steps = [_step_row(dossier, templates[0], at, seq=1)]
    if steps[0].role == StepRole.ONE_STOP_OFFICER and len(templates) > 1:
        # Receiving at the counter is the intake step itself.
        _mark_finished(steps[0], at, by, StepStatus.DONE, "")
        steps.append(_step_row(dossier, templates[1], at, seq=2))
    DossierStep.objects.bulk_create(steps)
    events += [_event_row(dossier, EventKind.STEP_STARTED, by, s.name, seq=s.seq) for s in steps]
    DossierEvent.objects.bulk_create(events)
    dossier.current_step = steps[-1]
    dossier.save(update_fields=["current_step"])


def _clock_start(dossier: Dossier) -> dt.datetime:
    assert dossier.received_at is not None
    return clock_start(
        dossier.received_at, clock.calendar_of(dossier), cutoff=dossier.procedure_version.cutoff
    )


@transaction.atomic
def dossier_register_online(
    *,
    unit: Unit,
    version: ProcedureVersion,
    applicant: ApplicantIn,
    papers: list[PaperIn],
    return_method: str,
    applicant_user: Actor | None,
    files: list[Any] | None = None,
    return_address: str = "",
    summary: str = "",
    intake_token: str | None = None,
) -> Dossier:
    """A citizen's online submission: it gets its code now (national status 1, newly registered);
    the statutory clock starts only when an officer accepts it."""
    if intake_token:
        existing = Dossier.objects.filter(intake_token=intake_token, applicant_user=applicant_user).first()
        if existing is not None:
            return existing
    resolving_unit = unit.parent or unit
    level = _check_receivable(version, unit, resolving_unit)
    if version.online_level == "none":
        raise DossierError(_("This procedure cannot be submitted online."), "procedure")
    if not papers:
        raise DossierError(_("Attach the required papers."), "papers")
    _check_return(return_method, return_address)
    dossier = _new_dossier(
        unit=unit, version=version, level=level, resolving_unit=resolving_unit, channel=Channel.ONLINE,
        applicant=applicant, applicant_user=applicant_user, return_method=return_method,
        return_address=return_address, summary=summary, intake_token=intake_token,
        at=timezone.now(), state=DossierState.REGISTERED,
    )  # fmt: skip
    _save_new(dossier, papers=papers, files=files, by=applicant_user)
    _event(dossier, EventKind.REGISTERED, applicant_user)
    _audit(dossier, AuditEvent.DOSSIER_REGISTERED, applicant_user, code=dossier.code)
    return dossier


@transaction.atomic
def dossier_accept(*, dossier: Dossier, by: Actor) -> Dossier:
    """An officer accepts an online submission: the clock starts now (outside office hours, at
    the next opening) and the internal process begins."""
    dossier = _locked(dossier)
    require(Action.ACCEPT, by, dossier)
    now = timezone.now()
    dossier.received_at = now
    dossier.state = DossierState.PROCESSING
    dossier.statutory_due_at = clock.statutory_due(dossier, [])
    dossier.due_at = dossier.statutory_due_at
    dossier.clock_started_at = _clock_start(dossier)
    dossier.save(update_fields=["received_at", "state", "statutory_due_at", "due_at", "clock_started_at"])
    templates = _steps_template(dossier)
    first = _start_step(dossier, templates[0], now, by)
    if first.role == StepRole.ONE_STOP_OFFICER and len(templates) > 1:
        _finish_step(first, now, by)
        _start_step(dossier, templates[1], now, by)
    dossier.save(update_fields=["current_step"])
    _event(dossier, EventKind.RECEIVED, by, _("Accepted from the online submission"))
    notify_applicant(dossier, "received")
    _audit(dossier, AuditEvent.DOSSIER_RECEIVED, by, code=dossier.code, due_at=dossier.due_at.isoformat())
    return dossier


@transaction.atomic
def dossier_request_papers(
    *, dossier: Dossier, items: str, reason: str, by: Actor, contact: str = ""
) -> Pause:
    """Before accepting an online submission, ask the applicant for missing papers (form 02).
    The clock has not started, so nothing is paused: the applicant supplements through the
    portal and the officer then resumes, which puts the submission back to be accepted."""
    dossier = _locked(dossier)
    require(Action.REQUEST_PAPERS, by, dossier)
    if not items.strip():
        raise DossierError(_("List what the applicant must supplement."), "items")
    if not reason.strip():
        raise DossierError(_("Give the reason."), "reason")
    pause = Pause.objects.create(
        dossier=dossier,
        kind=PauseKind.SUPPLEMENT,
        started_at=timezone.now(),
        reason=reason.strip(),
        items=items.strip(),
        contact=contact.strip(),
        restarts_clock=False,
    )
    dossier.state = DossierState.SUPPLEMENT
    dossier.save(update_fields=["state"])
    _event(dossier, EventKind.SUPPLEMENT_REQUESTED, by, reason, items=items)
    notify_applicant(dossier, "supplement")
    _audit(dossier, AuditEvent.DOSSIER_PAUSED, by, kind=PauseKind.SUPPLEMENT, before_acceptance=True)
    return pause


@transaction.atomic
def dossier_refuse_online(*, dossier: Dossier, reason: str, by: Actor) -> Dossier:
    """Refuse an online submission instead of accepting it (form 03, as at the counter)."""
    dossier = _locked(dossier)
    require(Action.REFUSE, by, dossier)
    if not reason.strip():
        raise DossierError(_("Give the reason for refusing."), "reason")
    dossier.state = DossierState.REFUSED
    dossier.outcome_reason = reason.strip()
    dossier.save(update_fields=["state", "outcome_reason"])
    _event(dossier, EventKind.REFUSED, by, reason.strip())
    notify_applicant(dossier, "refused")
    _audit(dossier, AuditEvent.DOSSIER_REFUSED, by, reason=reason.strip(), code=dossier.code)
    return dossier


@transaction.atomic
def dossier_refuse_intake(
    *, unit: Unit, version: ProcedureVersion, applicant: ApplicantIn, reason: str, by: Actor
) -> Dossier:
    """Refuse an incomplete or ineligible dossier at the counter (form 03); it is recorded with a code."""
    require_counter(by, unit)
    _check_receivable(version, unit, unit.parent or unit)
    if not reason.strip():
        raise DossierError(_("Give the reason for refusing."), "reason")
    now = timezone.now()
    dossier = Dossier(
        procedure_version=version,
        level=unit.level,
        receiving_unit=unit,
        resolving_unit=unit.parent or unit,
        channel=Channel.DIRECT,
        return_method=ReturnMethod.COUNTER,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        lookup_secret=secrets.token_hex(4).upper(),
        state=DossierState.REFUSED,
        received_at=now,
        outcome_reason=reason.strip(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    dossier.code = dossier_code_next(agency_code=agency_code_for(unit), day=timezone.localtime(now).date())
    dossier.save()
    _event(dossier, EventKind.REFUSED, by, reason)
    _audit(dossier, AuditEvent.DOSSIER_REFUSED, by, reason=reason)
    return dossier
