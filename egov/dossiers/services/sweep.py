"""The overdue watch."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from egov.audit.models import AuditEvent
from egov.dossiers.models import (
    Dossier,
    DossierState,
    DossierStep,
    EventKind,
    StepStatus,
)
from egov.dossiers.services.common import (
    _audit,
    _event,
)

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
            _event(dossier, EventKind.OVERDUE, None)
            _audit(dossier, AuditEvent.DOSSIER_OVERDUE, None)
            marked += 1
    steps = DossierStep.objects.filter(
        status=StepStatus.ACTIVE, due_at__lte=now, overdue_marked_at__isnull=True
    )
    for pk in list(steps.values_list("pk", flat=True)[:limit]):
        DossierStep.objects.filter(pk=pk, overdue_marked_at__isnull=True).update(overdue_marked_at=now)
    return marked
