"""Search of documents: diacritics-insensitive full text over metadata and file text, filters,
newest first, scoped to what the user may see (docs/documents.md, "Search").

Two engines behind one interface (:mod:`.backends`): PostgreSQL ``tsvector`` + GIN and
``pg_trgm``, SQLite FTS5. The index is one :class:`~egov.documents.models.SearchEntry` row per
document, kept by :mod:`.index` after the services' commits (:mod:`.hooks`) and by the text
extraction task (:mod:`.extract`)."""

from __future__ import annotations

from egov.documents.search.index import search_index_bulk, search_index_document, search_reindex
from egov.documents.search.query import COUNT_CAP, SearchPage, SearchQuery, search_documents
from egov.documents.search.rows import SearchRow, words_of
from egov.documents.search.text import fold, words

__all__ = [
    "COUNT_CAP",
    "SearchPage",
    "SearchQuery",
    "SearchRow",
    "fold",
    "search_documents",
    "search_index_bulk",
    "search_index_document",
    "search_reindex",
    "words",
    "words_of",
]
