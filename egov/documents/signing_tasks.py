"""Background tasks of document signing (django-tasks). They take ids and re-read; running one
twice is harmless."""

from __future__ import annotations

from django_tasks import task

from egov.documents.services.signing_archive import document_archive_signature


@task()
def archive_signature_task(document_id: int) -> int | None:
    """B-LTA for the signed main text of a document filed into a work file kept long-term."""
    record = document_archive_signature(document_id=document_id)
    return record.pk if record is not None else None
