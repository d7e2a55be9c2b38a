"""Keeping the index: one document, many, everything, or rows straight from a generator."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from egov.documents.models import Document, SearchEntry
from egov.documents.search.backends import Backend, backend
from egov.documents.search.rows import SearchRow, rows_for

BATCH = 1000


def search_index_document(document_id: int) -> None:
    """(Re)index one document: its metadata, who may see it, and the text of its files."""
    search_reindex(ids=[document_id])


def search_reindex(ids: Iterable[int] | None = None, *, batch: int = BATCH) -> int:
    """Reindex the given documents (all when ``ids`` is None), in batches; ids of documents that
    no longer exist are dropped from the index. Returns how many rows were written."""
    engine = backend()
    source: Iterator[int]
    if ids is None:
        source = Document.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=batch)
    else:
        source = iter(sorted(set(ids)))
    written = 0
    chunk: list[int] = []
    for pk in source:
        chunk.append(pk)
        if len(chunk) >= batch:
            written += _reindex_chunk(engine, chunk)
            chunk = []
    written += _reindex_chunk(engine, chunk)
    return written


def _reindex_chunk(engine: Backend, ids: list[int]) -> int:
    if not ids:
        return 0
    rows = list(rows_for(ids))
    found = {r.document_id for r in rows}
    gone = [pk for pk in ids if pk not in found]
    if gone:
        engine.delete(gone)
    return engine.write(rows)


def search_index_bulk(rows: Iterable[SearchRow]) -> int:
    """Write prepared rows (a generator writing millions of documents builds them itself, with
    :func:`egov.documents.search.rows.words_of`): COPY on PostgreSQL, batched executemany on
    SQLite. Existing rows of the same documents are replaced."""
    return backend().write(rows)


def search_index_size() -> int:
    return SearchEntry.objects.count()
