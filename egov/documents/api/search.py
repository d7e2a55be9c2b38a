"""API: search of documents (the same scope and filters as the search page) and saved searches."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.schema import Day, Line
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import Document, DocumentType, SavedSearch
from egov.documents.search import SearchQuery, search_documents
from egov.documents.search.query import COUNT_CAP, PAGE_MAX, STATES
from egov.documents.search.saved import saved_search_get_for_user, saved_searches_of

router = Router(tags=["documents"])


class SearchIn(Schema):
    q: Annotated[Line, Field(max_length=200)] = ""
    doc_type: DocumentType | None = None
    register_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    issuer: Annotated[Line, Field(max_length=200)] = ""
    date_from: Day | None = None
    date_to: Day | None = None
    state: Annotated[Line, Field(max_length=12)] = ""
    handler_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    year: Annotated[int, Field(ge=1900, le=2199)] | None = None
    limit: Annotated[int, Field(ge=1, le=PAGE_MAX)] = 20
    after: Annotated[Line, Field(max_length=40)] = ""


class DocumentHit(Schema):
    id: int
    doc_type: str
    number: str
    notation: str
    issued_on: dt.date | None
    issuer_name: str
    subject: str
    state: str
    secrecy: str


class SearchOut(Schema):
    count: int = Field(description=f"Matches, counted up to {COUNT_CAP}; see more_than_cap")
    more_than_cap: bool
    next: str = Field(description="Pass as `after` for the next page; empty on the last page")
    results: list[DocumentHit]


class SavedIn(Schema):
    name: Annotated[Line, Field(min_length=1, max_length=100)]
    query: Annotated[Line, Field(max_length=2000)] = ""


class SavedOut(Schema):
    id: int
    name: str
    query: str
    created_at: dt.datetime


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not is_staff_user(user) or not isinstance(user, User):
        raise HttpError(404, _("Not found."))  # the staff API does not exist for citizens
    return user


def _hit(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "doc_type": d.doc_type,
        "number": d.number,
        "notation": d.notation,
        "issued_on": d.issued_on,
        "issuer_name": d.issuer_name,
        "subject": d.subject,
        "state": d.state,
        "secrecy": d.secrecy,
    }


@router.get("/search", response={200: SearchOut, **SIGNED_IN_ERRORS}, summary="Search documents")
def documents_search(request: HttpRequest, filters: Query[SearchIn]) -> Any:
    """Diacritics-insensitive words, a number/notation ("123/QĐ") and filters, among the documents
    the caller may see, newest first; pages by ``after``."""
    _staff(request)
    if filters.state and filters.state not in STATES:
        message = _("Choose one of the states of documents.")
        return Status(422, error_body("invalid", message, {"state": [message]}))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        message = _("The end date is before the start date.")
        return Status(422, error_body("invalid", message, {"date_to": [message]}))
    query = SearchQuery(
        q=filters.q,
        doc_type=filters.doc_type or "",
        register_id=filters.register_id,
        issuer=filters.issuer,
        date_from=filters.date_from,
        date_to=filters.date_to,
        state=filters.state,
        handler_id=filters.handler_id,
        year=filters.year,
    )
    page = search_documents(user=request.user, query=query, limit=filters.limit, cursor=filters.after)
    return {
        "count": min(page.count, COUNT_CAP),
        "more_than_cap": page.more_than_cap,
        "next": page.next_cursor,
        "results": [_hit(d) for d in page.documents],
    }


def _saved(s: SavedSearch) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "query": s.query, "created_at": s.created_at}


@router.get("/search/saved", response={200: list[SavedOut], **SIGNED_IN_ERRORS}, summary="My saved searches")
def saved_searches(request: HttpRequest) -> Any:
    _staff(request)
    return [_saved(s) for s in saved_searches_of(request.user)]


@router.post("/search/saved", response={201: SavedOut, **SIGNED_IN_ERRORS}, summary="Save a search")
def saved_search_create(request: HttpRequest, payload: SavedIn) -> Any:
    user = _staff(request)
    try:
        saved = services.saved_search_create(name=payload.name, query=payload.query, by=user)
    except ActionForbidden as exc:
        return Status(403, error_body("forbidden", str(exc)))
    except DocumentError as exc:
        field = exc.field or "__all__"
        return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))
    return Status(201, _saved(saved))


@router.delete(
    "/search/saved/{int:saved_id}", response={204: None, **OBJECT_ERRORS}, summary="Delete a saved search"
)
def saved_search_delete(request: HttpRequest, saved_id: int) -> Any:
    user = _staff(request)
    saved = saved_search_get_for_user(user=user, pk=saved_id)
    services.saved_search_delete(saved=saved, by=user)
    return Status(204, None)
