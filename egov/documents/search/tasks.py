"""Background tasks of search (django-tasks). They take ids and re-read; running one twice is harmless."""

from __future__ import annotations

from django_tasks import task

from egov.documents.search.extract import file_extract_text, files_extract_pending
from egov.documents.search.index import search_index_document


@task()
def extract_text_task(file_id: int) -> str:
    return file_extract_text(file_id=file_id)


@task()
def extract_pending_task() -> int:
    return files_extract_pending()


@task()
def index_document_task(document_id: int) -> None:
    search_index_document(document_id)
