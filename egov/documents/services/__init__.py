"""Every change to a document: one atomic, audited service per transition.

The services are grouped by concern in the modules of this package; this module re-exports the
names other apps and the tests use, so ``from egov.documents import services`` works."""

from __future__ import annotations

from egov.documents.services.common import (
    ActionForbidden,
    DocumentError,
    WrongState,
    document_file_store,
    format_number,
    identifier_for,
    notation_for,
    register_number_next,
)
from egov.documents.services.incoming import (
    DocumentIn,
    DuplicateEntry,
    entry_deliver,
    entry_number,
    entry_register,
    entry_return,
    entry_submit,
    find_duplicate,
)
from egov.documents.services.search import saved_search_create, saved_search_delete

__all__ = [
    "ActionForbidden",
    "DocumentError",
    "DocumentIn",
    "DuplicateEntry",
    "WrongState",
    "document_file_store",
    "entry_deliver",
    "entry_number",
    "entry_register",
    "entry_return",
    "entry_submit",
    "find_duplicate",
    "format_number",
    "identifier_for",
    "notation_for",
    "register_number_next",
    "saved_search_create",
    "saved_search_delete",
]
