"""Every change to a document: one atomic, audited service per transition.

The services are grouped by concern in the modules of this package; this module re-exports the
names other apps and the tests use, so ``from egov.documents import services`` works."""

from __future__ import annotations

from egov.documents.services.access import (
    access_grant,
    access_record,
    access_revoke,
    file_download_response,
    records_view,
)
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
from egov.documents.services.registers import document_profile_save, register_save

__all__ = [
    "ActionForbidden",
    "DocumentError",
    "DocumentIn",
    "DuplicateEntry",
    "WrongState",
    "access_grant",
    "access_record",
    "access_revoke",
    "document_file_store",
    "document_profile_save",
    "entry_deliver",
    "entry_number",
    "entry_register",
    "entry_return",
    "entry_submit",
    "file_download_response",
    "find_duplicate",
    "format_number",
    "identifier_for",
    "notation_for",
    "records_view",
    "register_number_next",
    "register_save",
]
