"""Running a search for a user: the filters, the user's scope as index tags, a page of results
newest first (keyset), and a count that stops at :data:`COUNT_CAP`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.documents.models import Document, DraftState, EntryState
from egov.documents.permissions import AGENCY_WIDE_ROLES, DRAFTER_ROLES, HANDLER_ROLES, documents_visible_to
from egov.documents.search.backends import Plan, backend
from egov.documents.search.rows import state_tag
from egov.documents.search.text import fold, words

# Counting every match is the slow part at 10 M documents: past this, pages say "more than 1,000".
COUNT_CAP = 1000
MAX_TERMS = 12
PAGE_MAX = 100
# A query with a slash or digits next to letters is taken as a number/notation ("123/QĐ").
_NOTATION = re.compile(r"\d+\s*/\s*\S|^\d+$")


@dataclass
class SearchQuery:
    """A search as the page and the API take it; every field optional."""

    q: str = ""
    doc_type: str = ""
    register_id: int | None = None
    issuer: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    state: str = ""
    handler_id: int | None = None
    year: int | None = None


@dataclass
class SearchPage:
    documents: list[Document]
    count: int  # capped at COUNT_CAP + 1
    next_cursor: str = ""
    capped: bool = False

    @property
    def more_than_cap(self) -> bool:
        return self.count > COUNT_CAP


def scope_tags(user: Visitor) -> list[str] | None:
    """The tags of what ``user`` may see (one is enough), or ``None`` for everything (the
    system administrator). Mirrors ``documents_visible_to``: see rows.py."""
    if not is_staff_user(user):
        return []
    if is_system_admin(user):
        return None

    def last(paths: list[str]) -> list[str]:
        return [p.strip("/").split("/")[-1] for p in paths if p.strip("/")]

    tags = [f"zw{u}" for u in last(role_paths(user, {str(r) for r in AGENCY_WIDE_ROLES}))]
    tags += [f"zl{u}" for u in last(role_paths(user, {Role.AGENCY_LEADER.value}))]
    tags += [f"zh{u}" for u in last(role_paths(user, {str(r) for r in HANDLER_ROLES}))]
    tags += [f"zv{u}" for u in last(role_paths(user, {str(r) for r in DRAFTER_ROLES}))]
    tags.append(f"zu{user.pk}")
    return sorted(set(tags))


STATES = frozenset({*DraftState.values, *EntryState.values})
_TOKEN = re.compile(r"^[a-z0-9]+$")


def plan_for(query: SearchQuery, user: Visitor) -> Plan:
    """The engine-neutral plan of ``query`` for ``user``. Every word and tag is ``[a-z0-9]+``
    (checked last: a value that is not is dropped), so nothing typed can change the shape of
    the text query — in particular, never its AND with the user's scope."""
    plan = _plan(query, user)
    plan.all_words = [w for w in plan.all_words if _TOKEN.match(w)]
    if plan.any_tags:
        plan.any_tags = [t for t in plan.any_tags if _TOKEN.match(t)]
    return plan


def _plan(query: SearchQuery, user: Visitor) -> Plan:
    plan = Plan(all_words=words(query.q)[:MAX_TERMS], any_tags=scope_tags(user))
    if query.q and _NOTATION.search(query.q.strip()):
        key = fold(query.q).replace(" ", "")
        plan.where.append("e.notation_key LIKE %s")
        plan.params.append(f"%{_like_escape(key)}%")
    if query.doc_type:
        plan.all_words.append(f"ft{query.doc_type.lower()}")  # a DocumentType value
    if query.state in STATES:
        plan.all_words.append(state_tag(query.state))
    if query.register_id:
        plan.all_words.append(f"fr{query.register_id}")
    if query.handler_id:
        plan.all_words.append(f"fp{query.handler_id}")
    if query.year:
        plan.all_words.append(f"fy{query.year}")
    if query.issuer.strip():
        plan.where.append("e.issuer_key LIKE %s")
        plan.params.append("%" + _like_escape(" ".join(words(query.issuer))) + "%")
    if query.date_from:
        plan.where.append("e.dated >= %s")
        plan.params.append(query.date_from)
    if query.date_to:
        plan.where.append("e.dated <= %s")
        plan.params.append(query.date_to)
    return plan


def _like_escape(value: str) -> str:
    # The key is folded; % and _ would be wildcards (no ESCAPE clause is portable enough).
    return value.replace("%", "").replace("_", "")


def encode_cursor(dated: dt.date, pk: int) -> str:
    return f"{dated.isoformat()}.{pk}"


def decode_cursor(cursor: str) -> tuple[dt.date, int] | None:
    try:
        day, pk = cursor.split(".", 1)
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def search_documents(
    *, user: Visitor, query: SearchQuery, limit: int = 20, cursor: str = "", count: bool = True
) -> SearchPage:
    """A page of the documents ``user`` may see that match ``query``, newest first.

    The index picks the candidates with the user's scope; each page is then confirmed through
    ``documents_visible_to`` (one query on at most ``limit`` ids), so a row the indexer has not
    yet caught up with never shows a document the user may no longer see."""
    limit = max(1, min(limit, PAGE_MAX))
    plan = plan_for(query, user)
    if plan.any_tags == []:
        return SearchPage(documents=[], count=0)
    plan.after = decode_cursor(cursor) if cursor else None
    engine = backend()
    # The first page and its capped count come from one query: the ids up to the cap, newest
    # first (the engine finds and orders the matches once instead of twice).
    counting = count and plan.after is None
    hits = engine.ids(plan, max(limit, COUNT_CAP) + 1 if counting else limit + 1)
    page, more = hits[:limit], len(hits) > limit
    ids = [pk for pk, _ in page]
    visible = (
        documents_visible_to(user)
        .filter(pk__in=ids)
        .select_related("issuer_unit", "register")
        .only(*_LIST_FIELDS)
    )
    by_id = {d.pk: d for d in visible}
    total = len(hits) if counting else 0
    return SearchPage(
        documents=[by_id[pk] for pk in ids if pk in by_id],
        count=total,
        next_cursor=encode_cursor(page[-1][1], page[-1][0]) if more and page else "",
    )


_LIST_FIELDS = (
    "id",
    "doc_type",
    "number",
    "notation",
    "issued_on",
    "issuer_name",
    "subject",
    "state",
    "secrecy",
    "urgency",
    "created_at",
    "issuer_unit__name",
    "issuer_unit__path",
    "register__name",
)
