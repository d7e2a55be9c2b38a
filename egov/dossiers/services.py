"""Every change to a dossier: one atomic, audited service per transition of the state machine."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.permissions import role_paths
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.catalog.models import ProcedureVersion, ProcessStep, VersionStatus
from egov.catalog.selectors import version_rules
from egov.core.uploads import check_upload
from egov.dossiers import clock
from egov.dossiers.errors import ActionForbidden, DossierError, WrongState
from egov.dossiers.models import (
    FINISHED_STATES,
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierPaper,
    DossierState,
    DossierStep,
    Extension,
    FileKind,
    Outcome,
    Pause,
    PauseKind,
    StepStatus,
    Timeliness,
)
from egov.dossiers.notify import notify_applicant
from egov.dossiers.workflow import Action, require, require_counter
from egov.orgs.models import Unit
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


def _event_row(dossier: Dossier, kind: str, by: Any, text: str = "", **data: Any) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        at=timezone.now(),
        actor=by if getattr(by, "pk", None) else None,
        kind=kind,
        text=text,
        data=data,
    )


def _event(dossier: Dossier, kind: str, by: Any, text: str = "", **data: Any) -> None:
    _event_row(dossier, kind, by, text, **data).save(force_insert=True)


def _audit(dossier: Dossier, event: str, by: Any, **after: Any) -> None:
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
    return dossier.receiving_unit if role == "one_stop_officer" else dossier.resolving_unit


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
    dossier: Dossier, template: Any, at: dt.datetime, by: Any, unit: Unit | None = None
) -> DossierStep:
    seq = (dossier.steps.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    step = _step_row(dossier, template, at, seq, unit)
    step.save(force_insert=True)
    dossier.current_step = step
    _event(dossier, "step_started", by, step.name, seq=seq)
    return step


def _mark_finished(step: DossierStep, at: dt.datetime, by: Any, status: str, note: str) -> None:
    step.status = status
    step.finished_at = at
    step.finished_by = by if getattr(by, "pk", None) else None
    step.timeliness = _timeliness(step.due_at, at)
    step.note = note


def _finish_step(
    step: DossierStep, at: dt.datetime, by: Any, status: str = StepStatus.DONE, note: str = ""
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


def dossier_attach_file(*, dossier: Dossier, upload: Any, kind: str, by: Any, name: str = "") -> DossierFile:
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
    return record


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
    if return_method == "post" and not return_address.strip():
        raise DossierError(_("Give the postal address for the result."), "return_address")


def _new_dossier(
    *,
    unit: Unit,
    version: ProcedureVersion,
    level: str,
    resolving_unit: Unit,
    channel: str,
    applicant: ApplicantIn,
    applicant_user: Any,
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


def _save_new(dossier: Dossier, *, papers: list[PaperIn], files: list[Any] | None, by: Any) -> None:
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
    by: Any,
    resolving_unit: Unit | None = None,
    return_address: str = "",
    fees_collected: int = 0,
    summary: str = "",
    received_at: dt.datetime | None = None,
    applicant_user: Any = None,
    files: list[Any] | None = None,
    intake_token: str | None = None,
) -> Dossier:
    """Receive a complete dossier at the counter (or by post): give it its code and its legal due time.

    A repeated ``intake_token`` returns the dossier it already made, but only to the officer who
    made it at the same counter; anybody else's token is refused (the form must be reopened)."""
    require_counter(by, unit)
    if intake_token:
        existing = Dossier.objects.filter(intake_token=intake_token).first()
        if existing is not None:
            if existing.receiving_unit_id == unit.pk and existing.created_by_id == by.pk:
                return existing
            raise DossierError(
                _("This intake form was already used for another reception; open a new form."),
                "intake_token",
            )
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
    events = [_event_row(dossier, "received", by, _("Channel: %(c)s") % {"c": dossier.get_channel_display()})]
    templates = _steps_template(dossier)
    # A new dossier has no steps yet: number them here and write them (and the timeline) at once.
    steps = [_step_row(dossier, templates[0], at, seq=1)]
    if steps[0].role == "one_stop_officer" and len(templates) > 1:
        # Receiving at the counter is the intake step itself.
        _mark_finished(steps[0], at, by, StepStatus.DONE, "")
        steps.append(_step_row(dossier, templates[1], at, seq=2))
    DossierStep.objects.bulk_create(steps)
    events += [_event_row(dossier, "step_started", by, s.name, seq=s.seq) for s in steps]
    DossierEvent.objects.bulk_create(events)
    dossier.current_step = steps[-1]
    dossier.save(update_fields=["current_step"])
    notify_applicant(dossier, "received")
    # Last: the audit entry takes the chain's global head lock, held until commit.
    _audit(dossier, AuditEvent.DOSSIER_RECEIVED, by, code=dossier.code, due_at=dossier.due_at.isoformat())
    return dossier


def _clock_start(dossier: Dossier) -> dt.datetime:
    from egov.workcal import clock_start

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
    applicant_user: Any,
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
        unit=unit, version=version, level=level, resolving_unit=resolving_unit, channel="online",
        applicant=applicant, applicant_user=applicant_user, return_method=return_method,
        return_address=return_address, summary=summary, intake_token=intake_token,
        at=timezone.now(), state=DossierState.REGISTERED,
    )  # fmt: skip
    _save_new(dossier, papers=papers, files=files, by=applicant_user)
    _event(dossier, "registered", applicant_user)
    _audit(dossier, AuditEvent.DOSSIER_REGISTERED, applicant_user, code=dossier.code)
    return dossier


@transaction.atomic
def dossier_accept(*, dossier: Dossier, by: Any) -> Dossier:
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
    if first.role == "one_stop_officer" and len(templates) > 1:
        _finish_step(first, now, by)
        _start_step(dossier, templates[1], now, by)
    dossier.save(update_fields=["current_step"])
    _event(dossier, "received", by, _("Accepted from the online submission"))
    notify_applicant(dossier, "received")
    _audit(dossier, AuditEvent.DOSSIER_RECEIVED, by, code=dossier.code, due_at=dossier.due_at.isoformat())
    return dossier


@transaction.atomic
def dossier_request_papers(*, dossier: Dossier, items: str, reason: str, by: Any, contact: str = "") -> Pause:
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
    _event(dossier, "supplement_requested", by, reason, items=items)
    notify_applicant(dossier, "supplement")
    _audit(dossier, AuditEvent.DOSSIER_PAUSED, by, kind=PauseKind.SUPPLEMENT, before_acceptance=True)
    return pause


@transaction.atomic
def dossier_refuse_online(*, dossier: Dossier, reason: str, by: Any) -> Dossier:
    """Refuse an online submission instead of accepting it (form 03, as at the counter)."""
    dossier = _locked(dossier)
    require(Action.REFUSE, by, dossier)
    if not reason.strip():
        raise DossierError(_("Give the reason for refusing."), "reason")
    dossier.state = DossierState.REFUSED
    dossier.outcome_reason = reason.strip()
    dossier.save(update_fields=["state", "outcome_reason"])
    _event(dossier, "refused", by, reason.strip())
    notify_applicant(dossier, "refused")
    _audit(dossier, AuditEvent.DOSSIER_REFUSED, by, reason=reason.strip(), code=dossier.code)
    return dossier


# ---------------------------------------------------------------- processing


@transaction.atomic
def step_assign(*, dossier: Dossier, to: Any, by: Any) -> DossierStep:
    dossier = _locked(dossier)
    require(Action.ASSIGN, by, dossier)
    step = dossier.current_step
    assert step is not None
    # The assignee then acts on the step as its handler: they must hold its role there.
    if not any(step.unit.path.startswith(p) for p in role_paths(to, {step.role})):
        raise DossierError(_("This person does not hold the step's role in its unit."), "to")
    step.assigned_to = to
    step.save(update_fields=["assigned_to"])
    _event(dossier, "step_assigned", by, str(to), step=step.seq)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action="assign", step=step.seq, to=to.pk)
    return step


@transaction.atomic
def step_forward(*, dossier: Dossier, by: Any, note: str = "", to_unit: Unit | None = None) -> Dossier:
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
    kind = "handed_over" if to_unit is not None else "forwarded"
    _event(dossier, kind, by, note, to=nxt.name)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action=kind, step=step.seq, timeliness=step.timeliness)
    return dossier


@transaction.atomic
def step_send_back(*, dossier: Dossier, to_order: int, reason: str, by: Any) -> Dossier:
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
    _event(dossier, "sent_back", by, reason, to=target.name)
    _audit(dossier, AuditEvent.DOSSIER_STEP, by, action="sent_back", step=step.seq)
    return dossier


# ---------------------------------------------------------------- pauses


@transaction.atomic
def dossier_pause(
    *, dossier: Dossier, kind: str, reason: str, by: Any, items: str = "", contact: str = ""
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
        dossier, "supplement_requested" if kind == PauseKind.SUPPLEMENT else "paused", by, reason, items=items
    )
    if kind == PauseKind.SUPPLEMENT:
        notify_applicant(dossier, "supplement")
    _audit(dossier, AuditEvent.DOSSIER_PAUSED, by, kind=kind)
    return pause


@transaction.atomic
def dossier_resume(
    *, dossier: Dossier, by: Any, papers: list[PaperIn] | None = None, note: str = ""
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
        _event(dossier, "papers_received", by, note)
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
    kind = "supplement_received" if pause.kind == PauseKind.SUPPLEMENT else "resumed"
    _event(dossier, kind, by, note, previous_due=previous_due.isoformat() if previous_due else None)
    _audit(dossier, AuditEvent.DOSSIER_RESUMED, by, due_at=dossier.due_at.isoformat())
    return dossier


@transaction.atomic
def dossier_supplement_submit(
    *, dossier: Dossier, files: list[Any], by: Any, note: str = ""
) -> list[DossierFile]:
    """The applicant sends the requested papers online. The clock stays paused: an officer checks
    them and resumes it (dossier_resume), as for papers brought to the counter."""
    dossier = _locked(dossier)
    require(Action.SUBMIT_SUPPLEMENT, by, dossier)
    if not files:
        raise DossierError(_("Attach at least one file."), "files")
    records = [dossier_attach_file(dossier=dossier, upload=f, kind=FileKind.SUPPLEMENT, by=by) for f in files]
    _event(dossier, "supplement_submitted", by, note.strip(), files=[r.name for r in records])
    _audit(dossier, "dossier.supplement_submitted", by, files=len(records))
    return records


def _remaining_hours(step: DossierStep, pause: Pause) -> int:
    from egov.workcal import elapsed

    cal = clock.calendar_of(step.dossier)
    budget = elapsed(start=step.started_at, end=step.due_at, cal=cal)
    used = (
        elapsed(start=step.started_at, end=pause.started_at, cal=cal)
        if pause.started_at > step.started_at
        else dt.timedelta(0)
    )
    return int((budget - used).total_seconds() // 3600)


# ---------------------------------------------------------------- extension, stop, withdrawal


@transaction.atomic
def dossier_extend(*, dossier: Dossier, new_due_at: dt.datetime, reason: str, by: Any) -> Extension:
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
    _event(dossier, "extended", by, reason, new_due_at=new_due_at.isoformat())
    notify_applicant(dossier, "extended")
    _audit(dossier, AuditEvent.DOSSIER_EXTENDED, by, new_due_at=new_due_at.isoformat())
    return extension


def _end_open_pause(dossier: Dossier, at: dt.datetime) -> None:
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)


@transaction.atomic
def dossier_stop(*, dossier: Dossier, reason: str, by: Any) -> Dossier:
    """Stop processing (form 05)."""
    return _terminate(dossier, DossierState.STOPPED, "stopped", AuditEvent.DOSSIER_STOPPED, reason, by)


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, reason: str, by: Any) -> Dossier:
    """Record that the applicant withdrew the dossier."""
    return _terminate(dossier, DossierState.WITHDRAWN, "withdrawn", AuditEvent.DOSSIER_WITHDRAWN, reason, by)


def _terminate(dossier: Dossier, state: str, kind: str, event: str, reason: str, by: Any) -> Dossier:
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
    *, dossier: Dossier, outcome: str, reason: str, by: Any, result_file: Any = None
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
    if last.order > step.order and last.role == "one_stop_officer":
        _start_step(dossier, last, now, by)
    else:
        dossier.current_step = None
    dossier.save(
        update_fields=["state", "outcome", "outcome_reason", "resolved_at", "timeliness", "current_step"]
    )
    if result_file is not None:
        dossier_attach_file(dossier=dossier, upload=result_file, kind=FileKind.RESULT, by=by)
    _event(dossier, "decided", by, reason, outcome=outcome, timeliness=dossier.timeliness)
    notify_applicant(dossier, "result_ready")
    _audit(dossier, AuditEvent.DOSSIER_DECIDED, by, outcome=outcome, timeliness=dossier.timeliness)
    return dossier


@transaction.atomic
def dossier_return(*, dossier: Dossier, by: Any, received_by: str, tracking: str = "") -> Dossier:
    """Hand the result over (counter, post with tracking number, or online); entered in the register (form 07)."""
    dossier = _locked(dossier)
    require(Action.RETURN, by, dossier)
    if dossier.return_method == "post" and not tracking.strip():
        raise DossierError(_("Enter the postal tracking number."), "tracking")
    if dossier.return_method == "counter" and not received_by.strip():
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
    _event(dossier, "returned", by, received_by, tracking=tracking)
    _audit(dossier, AuditEvent.DOSSIER_RETURNED, by)
    return dossier


@transaction.atomic
def dossier_refuse_intake(
    *, unit: Unit, version: ProcedureVersion, applicant: ApplicantIn, reason: str, by: Any
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
        channel="direct",
        return_method="counter",
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
    _event(dossier, "refused", by, reason)
    _audit(dossier, AuditEvent.DOSSIER_REFUSED, by, reason=reason)
    return dossier


# ---------------------------------------------------------------- overdue watch


def overdue_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Mark dossiers past their due time, once each, even with two workers running."""
    now = now or timezone.now()
    marked = 0
    candidates = Dossier.objects.filter(
        state=DossierState.PROCESSING, due_at__lte=now, overdue_marked_at__isnull=True
    ).values_list("pk", flat=True)[:limit]
    for pk in list(candidates):
        with transaction.atomic():
            if (
                Dossier.objects.filter(pk=pk, overdue_marked_at__isnull=True).update(overdue_marked_at=now)
                != 1
            ):
                continue  # another worker won
            dossier = Dossier.objects.select_related("receiving_unit").get(pk=pk)
            _event(dossier, "overdue", None)
            _audit(dossier, AuditEvent.DOSSIER_OVERDUE, None)
            marked += 1
    steps = DossierStep.objects.filter(
        status=StepStatus.ACTIVE, due_at__lte=now, overdue_marked_at__isnull=True
    )
    for pk in list(steps.values_list("pk", flat=True)[:limit]):
        DossierStep.objects.filter(pk=pk, overdue_marked_at__isnull=True).update(overdue_marked_at=now)
    return marked


__all__ = [
    "FINISHED_STATES",
    "ActionForbidden",
    "ApplicantIn",
    "DossierError",
    "PaperIn",
    "WrongState",
    "dossier_accept",
    "dossier_decide",
    "dossier_extend",
    "dossier_pause",
    "dossier_receive",
    "dossier_refuse_intake",
    "dossier_register_online",
    "dossier_resume",
    "dossier_return",
    "dossier_stop",
    "dossier_supplement_submit",
    "dossier_withdraw",
    "overdue_sweep",
    "step_assign",
    "step_forward",
    "step_send_back",
]
