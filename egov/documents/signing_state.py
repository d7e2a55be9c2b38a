"""Reads about the digital signatures of outgoing documents: who the competent person is, whether
they have signed the text to issue, which keys the person and the agency sign with.

The competent person (người có thẩm quyền ký) is whoever gave the draft its final approval: the
reviewer of the last approved step of the latest review round — in the usual chain the agency's
leader, or their delegate — or the drafter when their own draft was approved at once (every
step skipped). The signature block's printed name and position are the document's
``signer_name`` and ``signer_position``."""

from __future__ import annotations

from django.db.models import Max

from egov.accounts.types import Visitor
from egov.documents.models import Document, DocumentFile, DraftState, FileRole, ReviewState
from egov.orgs.models import Unit
from egov.signatures.models import SignatureKind, SigningKey, SigningRecord
from egov.signatures.selectors import active_key


def document_target(document: Document) -> str:
    """How the signing log names a document (see ``signing_record_add``)."""
    return f"{Document._meta.label}:{document.pk}"


def competent_person_id(document: Document) -> int | None:
    """The user who approved the draft last (see the module's notes); None before approval."""
    if document.drafting_unit_id is None or document.state not in (DraftState.APPROVED, DraftState.ISSUED):
        return None
    latest = document.reviews.aggregate(r=Max("round"))["r"]
    if latest is None:
        return document.drafted_by_id
    step = (
        document.reviews.filter(round=latest, state=ReviewState.APPROVED, reviewer__isnull=False)
        .order_by("-order")
        .first()
    )
    return step.reviewer_id if step is not None else document.drafted_by_id


def last_draft(document: Document) -> DocumentFile | None:
    return document.files.filter(role=FileRole.DRAFT).order_by("-version", "-pk").first()


def person_signature(document: Document) -> SigningRecord | None:
    """The competent person's signature of the text to issue: a signing record whose result is
    the last draft version (a later version would not carry it)."""
    last = last_draft(document)
    if last is None:
        return None
    return (
        SigningRecord.objects.filter(
            kind=SignatureKind.PERSON, target=document_target(document), result_sha256=last.sha256
        )
        .select_related("signed_by", "key")
        .order_by("-signed_at")
        .first()
    )


def signing_records(document: Document) -> list[SigningRecord]:
    """Every signature egov put on the document's files, oldest first (the page's status)."""
    return list(
        SigningRecord.objects.filter(target=document_target(document))
        .select_related("signed_by", "key")
        .order_by("signed_at", "pk")
    )


def person_key(user: Visitor) -> SigningKey | None:
    """The person's own key in use (the newest), if any."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return active_key(user=user)


def agency_key(agency: Unit | None) -> SigningKey | None:
    """The agency's key in use (the newest): when there is one, the agency signs electronically."""
    if agency is None:
        return None
    return active_key(unit=agency)


def agency_signs(document: Document) -> bool:
    return agency_key(document.issuer_unit) is not None
