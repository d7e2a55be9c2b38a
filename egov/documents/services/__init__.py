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
from egov.documents.services.workfile_export import Export, work_file_export
from egov.documents.services.workfiles import (
    DocumentNotFound,
    file_plan_entry_save,
    transfer_warnings_sweep,
    work_file_add_document,
    work_file_close,
    work_file_code,
    work_file_hold,
    work_file_open,
    work_file_release,
    work_file_remove_document,
)

__all__ = [
    "ActionForbidden",
    "DocumentError",
    "DocumentIn",
    "DocumentNotFound",
    "DuplicateEntry",
    "Export",
    "WrongState",
    "document_file_store",
    "entry_deliver",
    "entry_number",
    "entry_register",
    "entry_return",
    "entry_submit",
    "file_plan_entry_save",
    "find_duplicate",
    "format_number",
    "identifier_for",
    "notation_for",
    "register_number_next",
    "transfer_warnings_sweep",
    "work_file_add_document",
    "work_file_close",
    "work_file_code",
    "work_file_export",
    "work_file_hold",
    "work_file_open",
    "work_file_release",
    "work_file_remove_document",
]
