"""What the document services call so search follows their changes.

Call :func:`document_changed` inside the service's transaction after any change search shows
(metadata, state, entries, assignments, reviews, access grants); the document is reindexed once
the transaction commits, and a failure to index is logged, never turned into an error page
(``egov search reindex`` repairs). Call :func:`file_stored` for each new file: its text is
extracted by the worker, which then reindexes the document."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

log = logging.getLogger("egov.documents.search")


def _index_quietly(document_id: int) -> None:
    from egov.documents.search.index import search_index_document

    try:
        search_index_document(document_id)
    except Exception:  # the document's own change has committed; a later reindex repairs
        log.exception("search: indexing document %s failed", document_id)


def document_changed(document_id: int) -> None:
    """Reindex ``document_id`` after the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_index_quietly, document_id), robust=True)


def file_stored(file_id: int, document_id: int) -> None:
    """Queue text extraction of a new file (the worker reindexes the document when done), and
    reindex the document's metadata now."""
    from egov.documents.search.tasks import extract_text_task

    document_changed(document_id)
    transaction.on_commit(partial(extract_text_task.enqueue, file_id=file_id), robust=True)
