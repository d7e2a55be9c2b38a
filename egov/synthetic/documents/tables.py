"""Where generated rows go: the tables and their columns, in the order the writer builds rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from egov.documents.models import (
    Assignment,
    Direction,
    Document,
    DocumentFile,
    DocumentLink,
    Entry,
    FilePlanEntry,
    HandlingNote,
    Recipient,
    Review,
    WorkFile,
    WorkFileItem,
)

Row = tuple[Any, ...]

# Tables whose ids the writer hands out itself (other rows point at them).
TABLES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "plans": (FilePlanEntry, ("id", "unit_id", "year", "code", "title", "retention", "owner_id")),
    "workfiles": (WorkFile, (
        "id", "unit_id", "plan_entry_id", "year", "code", "title", "retention", "owner_id", "language",
        "description", "state", "opened_on", "closed_on", "transfer_due_on", "transfer_warned_at", "legal_hold",
        "created_at",
    )),
    "documents": (Document, (
        "id", "doc_type", "number", "sequence", "notation", "issued_on", "issuer_name", "issuer_code",
        "issuer_unit_id", "subject", "description", "language", "page_count", "signer_position", "signer_name",
        "urgency", "secrecy", "due_on", "copies", "identifier", "medium", "state", "drafting_unit_id",
        "drafted_by_id", "register_id", "register_year", "issued_at", "issued_by_id", "withdrawn_reason",
        "replaced_by_id", "legal_hold", "created_at", "updated_at",
    )),
    "entries": (Entry, (
        "id", "document_id", "agency_id", "register_id", "year", "arrival_number", "arrived_at", "medium", "state",
        "registered_at", "registered_by_id", "acknowledged_at", "submit_due_at", "submitted_at", "submitted_to_id",
        "submit_warned_at", "due_at", "done_at", "places_to", "return_reason", "duplicate_of_id", "created_at",
    )),
    "directions": (Direction, ("id", "entry_id", "parent_id", "by_id", "on_behalf_of_id", "text", "due_at", "at")),
    "assignments": (Assignment, (
        "id", "entry_id", "direction_id", "role", "unit_id", "person_id", "assigned_by_id", "due_at", "state",
        "created_at", "started_at", "done_at", "accepted_at", "overdue_at", "warned_at",
    )),
    "notes": (HandlingNote, ("assignment_id", "kind", "by_id", "text", "at")),
    "recipients": (Recipient, (
        "document_id", "unit_id", "name", "organ_code", "entry_id", "delivered_at", "frozen_at",
    )),
    "reviews": (Review, (
        "document_id", "round", "order", "role", "unit_id", "state", "reviewer_id", "comment", "acted_at",
    )),
    "links": (DocumentLink, ("source_id", "target_id", "kind")),
    "files": (DocumentFile, (
        "document_id", "role", "version", "name", "file", "sha256", "size", "content_type", "uploaded_by_id",
        "uploaded_at", "comment", "note_id", "derived_from_id", "text", "text_state",
    )),
    "items": (WorkFileItem, ("work_file_id", "document_id", "order", "added_by_id", "added_at")),
}  # fmt: skip
WITH_IDS = ("plans", "workfiles", "documents", "entries", "directions", "assignments")


@dataclass
class Batch:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in TABLES})

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)
