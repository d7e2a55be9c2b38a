"""Stored checks (kiểm tra chữ ký số): every PDF the document system or the one-stop shop stores
is checked in the background, once per content (found by SHA-256), and the result kept in a
:class:`ValidationReport` that pages and the API show.

The apps that own files call :func:`check_request` inside the transaction that stores one; the
worker runs :func:`check_run`. After the trust roots change, :func:`recheck` runs every report
made under another set of roots again, in batches, logging the rate; after the revocation job
fetched new data it runs again the checks that could not be decided."""

from __future__ import annotations

import logging
import time
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.signatures.models import ValidationReport, Verdict
from egov.signatures.validation import FileResult, Material, trust_hash, validate_pdf

log = logging.getLogger("egov.signatures.checks")

BATCH = 200


def _enqueue_check(report_id: int) -> None:
    from egov.signatures.tasks import check_task

    transaction.on_commit(partial(check_task.enqueue, report_id=report_id), robust=True)


def check_request(*, sha256: str, storage_name: str) -> ValidationReport:
    """Ask for the signatures of a stored PDF to be checked (after the caller's transaction
    commits). A content already checked under the current trust roots is not checked again."""
    report, created = ValidationReport.objects.get_or_create(
        sha256=sha256, defaults={"storage_name": storage_name[:500]}
    )
    if not report.storage_name:
        ValidationReport.objects.filter(pk=report.pk, storage_name="").update(storage_name=storage_name[:500])
    if created or report.verdict == Verdict.PENDING or report.trust_hash != trust_hash():
        _enqueue_check(report.pk)
    return report


def _store(report: ValidationReport, result: FileResult) -> None:
    report.verdict = result.verdict
    report.summary = result.summary[:1000]
    report.signatures = result.as_json()
    report.trust_hash = result.trust_hash
    report.checked_at = timezone.now()
    report.save(update_fields=["verdict", "summary", "signatures", "trust_hash", "checked_at"])


def check_run(*, report_id: int, material: Material | None = None, roots_hash: str = "") -> str | None:
    """Check one stored file now (the worker's task); the verdict, or None if the report is gone.
    Running it twice is harmless: the same bytes give the same result."""
    report = ValidationReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    try:
        with default_storage.open(report.storage_name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        result = FileResult(
            Verdict.UNREADABLE, _("The stored file cannot be read."), [], roots_hash or trust_hash()
        )
    else:
        result = validate_pdf(data, material=material, roots_hash=roots_hash)
    _store(report, result)
    return result.verdict


def recheck(*, undecided: bool = False, batch: int = BATCH) -> dict[str, float]:
    """Run again every check made under other trust roots (and, with ``undecided``, those
    whose verdict was unknown), in batches of ``batch``; log the rate in files per second."""
    current = trust_hash()
    condition = ~Q(trust_hash=current)
    if undecided:
        condition |= Q(verdict=Verdict.UNKNOWN)
    ids = list(ValidationReport.objects.filter(condition).order_by("pk").values_list("pk", flat=True))
    started = time.monotonic()
    done = 0
    for start in range(0, len(ids), batch):
        material = Material.load()  # fresh per batch: the revocation job may have run meanwhile
        for pk in ids[start : start + batch]:
            check_run(report_id=pk, material=material, roots_hash=current)
            done += 1
        elapsed = time.monotonic() - started
        log.info(
            "signature re-check: %s/%s files, %.1f files/s", done, len(ids), done / elapsed if elapsed else 0
        )
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0.0
    log.info("signature re-check done: %s files in %.1f s (%.1f files/s)", done, elapsed, rate)
    return {"rechecked": done, "seconds": round(elapsed, 3), "files_per_second": round(rate, 1)}


def recheck_request(*, undecided: bool = False) -> None:
    """Queue a re-check (after the current transaction commits)."""
    from egov.signatures.tasks import recheck_task

    transaction.on_commit(partial(recheck_task.enqueue, undecided=undecided), robust=True)


def recheck_undecided() -> int:
    """After new revocation data: queue a re-check of the undecided and stale reports; how many."""
    count = ValidationReport.objects.filter(Q(verdict=Verdict.UNKNOWN) | ~Q(trust_hash=trust_hash())).count()
    if count:
        recheck_request(undecided=True)
    return count
