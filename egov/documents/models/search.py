"""The search index of documents (one row per document), kept by :mod:`egov.documents.search`."""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """What full-text search needs of one document, written only by the indexer.

    The columns filter and order; the words live beside them, in a column the migration adds on
    PostgreSQL (``tsv tsvector``, GIN) or in an FTS5 table on SQLite (``documents_search_fts``,
    rowid = document id). The words are the folded metadata and file text plus *tags*: tokens
    naming who may see the document (``zw<unit>`` agency-wide, ``zl<unit>`` leader, ``zh<unit>``
    handler unit, ``zv<unit>`` reviewing unit, ``zu<user>`` a person) and the filters
    (``fy<year>``, ``ft<type>``, ``fs<state>``, ``fr<register>``, ``fp<handler>``), so one
    inverted index answers text, scope and filters together. A stale row never leaks: results
    are confirmed against :func:`egov.documents.permissions.documents_visible_to`."""

    document = models.OneToOneField(
        "documents.Document", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    # The date results are ordered by (newest first): issue date, else the day it was created.
    dated = models.DateField()
    doc_type = models.CharField(max_length=3)
    state = models.CharField(max_length=10)
    secret = models.BooleanField(default=False)
    # Folded "number/notation" (e.g. "123/qd-ubnd") for look-ups; pg_trgm index on PostgreSQL.
    notation_key = models.CharField(max_length=64, blank=True)
    # Folded issuing agency name, for the issuer filter.
    issuer_key = models.CharField(max_length=200, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["-dated", "-document"], name="documents_search_dated_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.dated}"
