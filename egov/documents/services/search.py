"""Saved searches (Annex VI: a person names a search to run it again). Not legally relevant:
no audit row, and a person may delete their own."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import Actor
from egov.core.text import clean_text
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import SavedSearch

SAVED_SEARCHES_MAX = 50
_NAME_MAX = SavedSearch._meta.get_field("name").max_length or 100
_QUERY_MAX = SavedSearch._meta.get_field("query").max_length or 2000


@transaction.atomic
def saved_search_create(*, name: str, query: str, by: Actor) -> SavedSearch:
    """Save the query string of the search page under ``name`` for ``by``."""
    if not is_staff_user(by):
        raise ActionForbidden(_("Only staff can save searches."))
    name = clean_text(name, multiline=False).strip()
    if not name:
        raise DocumentError(_("Give the search a name."), field="name")
    if len(name) > _NAME_MAX:
        raise DocumentError(
            _("The name is too long (at most %(n)d characters).") % {"n": _NAME_MAX}, field="name"
        )
    if len(query) > _QUERY_MAX:
        raise DocumentError(_("The search is too long to save."), field="query")
    if SavedSearch.objects.filter(owner=by).count() >= SAVED_SEARCHES_MAX:
        raise DocumentError(
            _("You have %(n)d saved searches; delete one first.") % {"n": SAVED_SEARCHES_MAX}, field="name"
        )
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(owner=by, name=name, query=query)
    except IntegrityError:
        raise DocumentError(_("You already have a saved search with this name."), field="name") from None


@transaction.atomic
def saved_search_delete(*, saved: SavedSearch, by: Actor) -> None:
    if saved.owner_id != by.pk:
        raise ActionForbidden(_("This saved search is not yours."))
    saved.delete()
