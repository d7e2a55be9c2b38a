"""Reads of saved searches and the parameters a search page or API query carries."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import Visitor
from egov.documents.models import SavedSearch

# The parameters a saved search keeps (the page's filter fields; never a cursor or a page).
PARAMS = ("q", "doc_type", "register", "issuer", "date_from", "date_to", "state", "handler", "year")


def saved_searches_of(user: Visitor) -> QuerySet[SavedSearch]:
    if not is_staff_user(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner_id=user.pk).order_by("name")


def saved_search_get_for_user(*, user: Visitor, pk: int) -> SavedSearch:
    """Only the owner sees a saved search; anyone else gets a 404."""
    return get_object_or_404(saved_searches_of(user), pk=pk)


def query_string(params: dict[str, object]) -> str:
    """The saved form of a search: the non-empty filter parameters, URL-encoded, in order."""
    kept = [(k, _text(params.get(k))) for k in PARAMS]
    return urlencode([(k, v) for k, v in kept if v])


def params_of(saved: SavedSearch) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(saved.query) if k in PARAMS}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "get_username"):  # the handler filter takes a user name
        return str(value.get_username())
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)
