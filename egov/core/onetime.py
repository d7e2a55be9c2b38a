"""One-time codes (verification codes, enrolment codes): the try that counts, shared by every kind.

A code row has ``code_hash``, ``attempts``, ``used_at`` and ``expires_at``. Each try is counted
by a conditional update before the comparison, so parallel guesses cannot share one attempt, and
a wrong try stays counted whatever the caller's transaction does afterwards."""

from __future__ import annotations

import hmac
from typing import Any

from django.db.models import F, Model, QuerySet
from django.utils import timezone


def onetime_code_try(*, codes: QuerySet[Any], candidate_hash: str, max_attempts: int) -> Model | None:
    """The latest live code in ``codes`` if ``candidate_hash`` matches it, after counting the try;
    None when there is none, it is spent, or the hash differs. The caller marks it used."""
    record = codes.filter(used_at__isnull=True, expires_at__gt=timezone.now()).order_by("-created_at").first()
    if record is None or record.attempts >= max_attempts:
        return None
    counted = codes.model.objects.filter(pk=record.pk, attempts=record.attempts, used_at__isnull=True).update(
        attempts=F("attempts") + 1
    )
    if counted != 1 or not hmac.compare_digest(record.code_hash, candidate_hash):
        return None
    return record  # type: ignore[no-any-return]
