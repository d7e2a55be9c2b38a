"""What the index holds of a document: one :class:`SearchRow` built from the document, its
entries, assignments, reviews, access grants and the text of its files.

The *tags* mirror :func:`egov.documents.permissions.documents_visible_to` rule by rule, so the
index can apply the same scope as the permission querysets without joining them. A role held in
a unit covers every unit below it: a document carries a tag for each unit on the path of the
units it belongs to, and a user asks for the tags of the units where they hold a role."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from egov.documents.models import (
    AccessGrant,
    Assignment,
    Document,
    DocumentFile,
    Entry,
    Review,
    Secrecy,
    TextState,
)
from egov.documents.search.text import notation_key, words

# The file text indexed per document (PostgreSQL caps a tsvector at 1 MB).
MAX_TEXT = 200_000


@dataclass(frozen=True)
class SearchRow:
    """One document as the index stores it; ``words`` is folded text and tags, space-separated
    (build it with :func:`words_of`)."""

    document_id: int
    dated: dt.date
    doc_type: str
    state: str
    secret: bool
    notation_key: str
    issuer_key: str
    words: str


def unit_tags(prefix: str, path: str | None) -> list[str]:
    """``zw1 zw5 zw23`` for a unit at ``/1/5/23/``: whoever holds the role at any of them."""
    if not path:
        return []
    return [f"{prefix}{pk}" for pk in path.strip("/").split("/") if pk]


def state_tag(state: str) -> str:
    return "fs" + state.replace("_", "")


def words_of(texts: Iterable[str], tags: Iterable[str]) -> str:
    """The indexed words: the folded words of ``texts`` (capped) followed by the tags."""
    out: list[str] = []
    size = 0
    for text in texts:
        for w in words(text):
            size += len(w) + 1
            if size > MAX_TEXT:
                break
            out.append(w)
    return " ".join([*out, *sorted(set(tags))])


@dataclass
class _Related:
    tags: dict[int, set[str]]
    texts: dict[int, list[str]]


def _related(ids: list[int], secret: set[int]) -> _Related:
    tags: dict[int, set[str]] = defaultdict(set)
    texts: dict[int, list[str]] = defaultdict(list)
    entries = Entry.objects.filter(document_id__in=ids).values_list(
        "document_id", "agency__path", "state", "register_id", "submitted_to_id"
    )
    for doc, agency_path, state, register, submitted_to in entries:
        if doc not in secret:
            tags[doc].update(unit_tags("zw", agency_path))
        tags[doc].update(unit_tags("zl", agency_path))
        tags[doc].add(state_tag(state))
        if register:
            tags[doc].add(f"fr{register}")
        if submitted_to:
            tags[doc].add(f"zu{submitted_to}")
    assignments = Assignment.objects.filter(entry__document_id__in=ids).values_list(
        "entry__document_id", "unit__path", "person_id"
    )
    for doc, unit_path, person in assignments:
        tags[doc].update(unit_tags("zh", unit_path))
        if person:
            tags[doc].update({f"zu{person}", f"fp{person}"})
    for doc, unit_path in Review.objects.filter(document_id__in=ids).values_list("document_id", "unit__path"):
        tags[doc].update(unit_tags("zv", unit_path))
    grants = AccessGrant.objects.filter(document_id__in=ids, revoked_at__isnull=True)
    for doc, person in grants.values_list("document_id", "person_id"):
        tags[doc].add(f"zu{person}")
    files = DocumentFile.objects.filter(document_id__in=ids, text_state=TextState.DONE)
    for doc, name, text in files.values_list("document_id", "name", "text").order_by("pk"):
        texts[doc].extend([name, text])
    return _Related(tags=tags, texts=texts)


def _row(doc: Document, related: _Related) -> SearchRow:
    issuer_path = doc.issuer_unit.path if doc.issuer_unit else None
    drafting_path = doc.drafting_unit.path if doc.drafting_unit else None
    tags = related.tags[doc.pk]
    if not doc.is_secret:
        tags.update(unit_tags("zw", issuer_path) + unit_tags("zw", drafting_path))
    tags.update(unit_tags("zl", issuer_path))
    if doc.drafted_by_id:
        tags.add(f"zu{doc.drafted_by_id}")
    if doc.register_id:
        tags.add(f"fr{doc.register_id}")
    dated = doc.issued_on or timezone.localdate(doc.created_at)
    tags.update({f"fy{dated.year}", f"ft{doc.doc_type.lower()}", state_tag(doc.state)})
    meta = [
        doc.number_notation,
        doc.subject,
        doc.description,
        doc.issuer_name,
        doc.signer_name,
        doc.signer_position,
        doc.identifier,
    ]
    return SearchRow(
        document_id=doc.pk,
        dated=dated,
        doc_type=doc.doc_type,
        state=doc.state,
        secret=doc.secrecy != Secrecy.NONE,
        notation_key=notation_key(doc.number, doc.notation),
        issuer_key=" ".join(words(doc.issuer_name))[:200],
        words=words_of([*meta, *related.texts[doc.pk]], tags),
    )


def rows_for(ids: list[int]) -> Iterator[SearchRow]:
    """The rows of the given documents (missing ids are skipped), in a handful of queries."""
    docs = list(
        Document.objects.filter(pk__in=ids).select_related("issuer_unit", "drafting_unit").order_by("pk")
    )
    related = _related([d.pk for d in docs], {d.pk for d in docs if d.is_secret})
    for doc in docs:
        yield _row(doc, related)
