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
from egov.documents.services.delegation import (
    delegation_create,
    delegation_revoke,
)
from egov.documents.services.drafting import (
    DraftIn,
    RecipientIn,
    draft_abandon,
    draft_create,
    draft_submit_review,
    draft_update,
    draft_version_add,
    review_approve,
    review_chain,
    review_send_back,
)
from egov.documents.services.handling import (
    assignment_forward,
    entry_direct,
)
from egov.documents.services.handling_work import (
    assignment_accept_done,
    assignment_note,
    assignment_report_done,
    extension_decide,
    extension_request,
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
from egov.documents.services.issuing import (
    IssuePreview,
    check_register,
    document_issue,
    document_recall,
    document_replace,
    issue_preview,
    organ_id_of,
)
from egov.documents.services.registers import (
    document_profile_save,
    register_save,
)
from egov.documents.services.search import (
    saved_search_create,
    saved_search_delete,
)
from egov.documents.services.signing import (
    SignOnDevice,
    document_sign,
    document_signed_by,
)
from egov.documents.services.signing_copies import (
    document_copy,
)
from egov.documents.services.signing_device import (
    document_sign_device_prepare,
)
from egov.documents.services.sweeps import (
    documents_sweep,
)
from egov.documents.services.workfile_export import (
    Export,
    work_file_export,
)
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
    "DraftIn",
    "DuplicateEntry",
    "Export",
    "IssuePreview",
    "RecipientIn",
    "SignOnDevice",
    "WrongState",
    "access_grant",
    "access_record",
    "access_revoke",
    "assignment_accept_done",
    "assignment_forward",
    "assignment_note",
    "assignment_report_done",
    "check_register",
    "delegation_create",
    "delegation_revoke",
    "document_copy",
    "document_file_store",
    "document_issue",
    "document_profile_save",
    "document_recall",
    "document_replace",
    "document_sign",
    "document_sign_device_prepare",
    "document_signed_by",
    "documents_sweep",
    "draft_abandon",
    "draft_create",
    "draft_submit_review",
    "draft_update",
    "draft_version_add",
    "entry_deliver",
    "entry_direct",
    "entry_number",
    "entry_register",
    "entry_return",
    "entry_submit",
    "extension_decide",
    "extension_request",
    "file_download_response",
    "file_plan_entry_save",
    "find_duplicate",
    "format_number",
    "identifier_for",
    "issue_preview",
    "notation_for",
    "organ_id_of",
    "records_view",
    "register_number_next",
    "register_save",
    "review_approve",
    "review_chain",
    "review_send_back",
    "saved_search_create",
    "saved_search_delete",
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
