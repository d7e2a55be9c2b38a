"""Writing the planned history in bulk (demo data only, not audited per dossier)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.dossiers.models import (
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierStep,
    Extension,
    Pause,
    PauseKind,
)
from egov.synthetic.generate.codes import assign_codes
from egov.synthetic.generate.data import DossierPlan
from egov.synthetic.generate.inputs import load_inputs
from egov.synthetic.generate.plan import plan_history

if TYPE_CHECKING:
    pass

BATCH = 500


# ---------------------------------------------------------------- writing


def _dossier_fields(plan: DossierPlan) -> dict[str, Any]:
    skip = {"agency_code", "current_seq", "steps", "papers", "pauses", "extension", "events", "version_pk",
            "receiving_unit_pk", "resolving_unit_pk"}  # fmt: skip
    values = {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name not in skip}
    values.update(
        procedure_version_id=plan.version_pk,
        receiving_unit_id=plan.receiving_unit_pk,
        resolving_unit_id=plan.resolving_unit_pk,
        created_by=None,
    )
    return values


def _write_children(rows: list[Dossier], plans: list[DossierPlan], by: Actor | None) -> list[DossierStep]:
    """Papers, steps, pauses, extensions and timeline of the new dossiers; returns the steps."""
    papers, steps, pauses, extensions, events = [], [], [], [], []
    for dossier, plan in zip(rows, plans, strict=True):
        papers += [
            DossierPaper(
                dossier=dossier, name=n, originals=o, certified_copies=c, photocopies=ph, supplement_round=r
            )
            for n, o, c, ph, r in plan.papers
        ]
        steps += [
            DossierStep(
                dossier=dossier, seq=s.seq, order=s.order, name=s.name[:255], role=s.role, unit_id=s.unit_pk,
                status=s.status, started_at=s.started_at, due_at=s.due_at, finished_at=s.finished_at,
                timeliness=s.timeliness, note=s.note, overdue_marked_at=s.overdue_marked_at,
            )
            for s in plan.steps
        ]  # fmt: skip
        pauses += [
            Pause(
                dossier=dossier, kind=PauseKind.SUPPLEMENT, started_at=p.started_at, ended_at=p.ended_at,
                reason=p.reason, items=p.items, contact=p.contact, restarts_clock=p.restarts_clock,
            )
            for p in plan.pauses
        ]  # fmt: skip
        if plan.extension is not None and by is not None:
            e = plan.extension
            extensions.append(
                Extension(
                    dossier=dossier, previous_due_at=e.previous_due_at, new_due_at=e.new_due_at,
                    reason=e.reason, created_by=by, created_at=e.created_at,
                )
            )  # fmt: skip
        events += [
            DossierEvent(dossier=dossier, at=e.at, kind=e.kind, text=e.text, data=e.data) for e in plan.events
        ]
    DossierPaper.objects.bulk_create(papers, batch_size=BATCH)
    DossierStep.objects.bulk_create(steps, batch_size=BATCH)
    Pause.objects.bulk_create(pauses, batch_size=BATCH)
    DossierEvent.objects.bulk_create(events, batch_size=BATCH)
    if extensions:
        Extension.objects.bulk_create(extensions, batch_size=BATCH)
        for extension, plan_ext in zip(
            extensions, [p.extension for p in plans if p.extension is not None], strict=True
        ):
            extension.created_at = plan_ext.created_at
        Extension.objects.bulk_update(extensions, ["created_at"], batch_size=BATCH)
    return steps


def _point_current_steps(rows: list[Dossier], plans: list[DossierPlan], steps: list[DossierStep]) -> None:
    step_of = {(s.dossier_id, s.seq): s for s in steps}
    pointing = []
    for dossier, plan in zip(rows, plans, strict=True):
        if plan.current_seq is not None:
            dossier.current_step = step_of[(dossier.pk, plan.current_seq)]
            pointing.append(dossier)
    Dossier.objects.bulk_update(pointing, ["current_step"], batch_size=BATCH)


def _store_counters(
    used: dict[tuple[str, dt.date], int], existing: dict[tuple[str, dt.date], DailyCounter]
) -> None:
    """Move the daily reception counters past the numbers the generated codes used."""
    new_counters, changed = [], []
    for key, number in used.items():
        counter = existing.get(key)
        if counter is None:
            new_counters.append(DailyCounter(agency_code=key[0], day=key[1], last=number))
        elif number > counter.last:
            counter.last = number
            changed.append(counter)
    DailyCounter.objects.bulk_create(new_counters, batch_size=BATCH)
    DailyCounter.objects.bulk_update(changed, ["last"], batch_size=BATCH)


@transaction.atomic
def generate_history(
    *, dossiers: int, seed: int = 2021, by: Actor | None = None, end: dt.datetime | None = None
) -> int:
    """Create ``dossiers`` synthetic dossiers received over the ~150 days before ``end``.

    Demo data only: written in bulk, not audited per dossier (one ``demo.history_generated``
    audit entry instead). Returns how many dossiers were created."""
    end = end or timezone.now().replace(minute=0, second=0, microsecond=0)
    units, versions = load_inputs()
    if not units or not versions or dossiers <= 0:
        return 0
    plans = plan_history(
        count=dossiers, seed=seed, units=units, versions=versions, end=end, allow_extensions=by is not None
    )
    if not plans:
        return 0
    agencies = {p.agency_code for p in plans}
    existing = {
        (c.agency_code, c.day): c
        for c in DailyCounter.objects.select_for_update().filter(agency_code__in=agencies)
    }
    used = assign_codes(plans, {key: c.last for key, c in existing.items()})

    rows = [Dossier(**_dossier_fields(p)) for p in plans]
    Dossier.objects.bulk_create(rows, batch_size=BATCH)
    ids = [d.pk for d in rows]
    for i in range(0, len(ids), BATCH):  # created_at is auto_now_add: the history says when it was received
        Dossier.objects.filter(pk__in=ids[i : i + BATCH]).update(created_at=F("received_at"))

    steps = _write_children(rows, plans, by)
    _point_current_steps(rows, plans, steps)
    _store_counters(used, existing)

    audit_record(
        event=AuditEvent.DEMO_HISTORY_GENERATED, actor=by, after={"dossiers": len(rows), "seed": seed}
    )
    return len(rows)
