"""The generators' guard: they write only to a database of their own. Each run leaves one audit
entry saying how many rows it wrote; that is how a generator tells its own rows from real work."""

from __future__ import annotations

from django.db import models

from egov.accounts.models import User
from egov.audit.models import AuditEntry


def generated_count(*, event: str, key: str) -> int:
    """How many rows (``key`` in the runs' audit entries) earlier runs of a generator wrote."""
    return sum(
        int((after or {}).get(key, 0))
        for after in AuditEntry.objects.filter(event=event).values_list("after", flat=True)
    )


def refusal(*, model: type[models.Model], event: str, key: str) -> str:
    """Why a generator of ``model`` rows (``key``: "dossiers", "documents") must not write to this
    database, or ``""`` when it may: not the demo, and no rows of real work."""
    if User.objects.filter(is_demo=True).exists():
        return (
            "this is the demo database (it has the demo accounts); point EGOV_DATABASE_URL at a "
            "separate database for benchmarks, or pass --force"
        )
    others = model._default_manager.count() - generated_count(event=event, key=key)
    if others > 0:
        return (
            f"the database holds {others:,} {key} that the generator did not write; use a fresh "
            "database, or pass --force"
        )
    return ""
