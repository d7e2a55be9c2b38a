"""Drafting outgoing documents (soạn thảo văn bản đi): the draft and its metadata, its versions
(each kept with who, when and a comment), and review before issue — the chain of the agency's
office-work settings, approval or send-back with a comment at each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import RoleAssignment
from egov.accounts.permissions import role_paths
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Document,
    DocumentFile,
    DocumentLink,
    DocumentType,
    DraftState,
    FileRole,
    LinkKind,
    Medium,
    Recipient,
    Review,
    ReviewState,
    Secrecy,
    Urgency,
)
from egov.documents.permissions import AGENCY_KINDS, agency_of, documents_visible_to
from egov.documents.selectors import profile_for
from egov.documents.services.common import audit, document_file_store
from egov.documents.workflow import Action, current_review, require, require_draft_in
from egov.orgs.models import Unit, path_ids


@dataclass(frozen=True)
class RecipientIn:
    """A place the document goes to: an agency of this installation (``unit``), or one outside
    named by ``name`` and its agency identifier (``organ_code``) for the exchange."""

    unit: Unit | None = None
    name: str = ""
    organ_code: str = ""


@dataclass(frozen=True)
class DraftIn:
    """The metadata of a draft, as the drafter enters it (checked together)."""

    doc_type: str
    subject: str
    recipients: Sequence[RecipientIn] = ()
    urgency: str = Urgency.NORMAL
    secrecy: str = Secrecy.NONE
    due_on: dt.date | None = None
    answers: Sequence[Document] = ()
    description: str = ""
    signer_position: str = ""
    signer_name: str = ""


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("drafting_unit", "issuer_unit")
        .get(pk=document.pk)
    )


def _check_meta(meta: DraftIn) -> None:
    if meta.doc_type not in DocumentType.values:
        raise DocumentError(_("Choose the type of document."), field="doc_type")
    if not meta.subject.strip():
        raise DocumentError(_("Enter the subject of the document."), field="subject")
    if meta.urgency not in Urgency.values:
        raise DocumentError(_("Choose the urgency."), field="urgency")
    if meta.secrecy not in Secrecy.values:
        raise DocumentError(_("Choose the secrecy level."), field="secrecy")
    if meta.due_on is not None and meta.due_on < timezone.localdate():
        raise DocumentError(_("The reply due date cannot be before today."), field="due_on")


def _apply_meta(document: Document, meta: DraftIn) -> None:
    document.doc_type = meta.doc_type
    document.subject = meta.subject.strip()
    document.urgency = meta.urgency
    document.secrecy = meta.secrecy
    document.due_on = meta.due_on
    document.description = meta.description.strip()
    document.signer_position = meta.signer_position.strip()
    document.signer_name = meta.signer_name.strip()
    try:
        document.full_clean(exclude=["drafted_by", "drafting_unit", "issuer_unit"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DocumentError(" ".join(messages), field=name if name != "__all__" else None) from exc


def _set_recipients(document: Document, recipients: Sequence[RecipientIn]) -> list[Recipient]:
    """A draft's list of recipients is replaced as a whole; nothing was sent yet."""
    agency = document.issuer_unit
    seen: set[int] = set()
    rows: list[Recipient] = []
    for r in recipients:
        if r.unit is not None:
            if r.unit.kind not in AGENCY_KINDS or r.unit.valid_to is not None:
                raise DocumentError(
                    _("“%(name)s” is not an agency that receives documents.") % {"name": r.unit.name},
                    field="recipients",
                )
            if agency is not None and r.unit.pk == agency.pk:
                raise DocumentError(_("The issuing agency cannot be its own recipient."), field="recipients")
            if r.unit.pk in seen:
                continue
            seen.add(r.unit.pk)
            rows.append(
                Recipient(document=document, unit=r.unit, name=r.unit.name, organ_code=r.unit.agency_code)
            )
            continue
        name = r.name.strip()
        if not name or len(name) > 200 or len(r.organ_code.strip()) > 35:
            raise DocumentError(
                _(
                    "Give each outside recipient a name (at most 200 characters) and an identifier of at most 35."
                ),
                field="recipients",
            )
        rows.append(Recipient(document=document, name=name, organ_code=r.organ_code.strip()))
    document.recipients.all().delete()
    return Recipient.objects.bulk_create(rows)


def _set_answers(document: Document, answers: Sequence[Document], by: Actor) -> None:
    visible = set(
        documents_visible_to(by).filter(pk__in=[d.pk for d in answers]).values_list("pk", flat=True)
    )
    for target in answers:
        if target.pk not in visible or target.pk == document.pk:
            raise DocumentError(_("You may only answer documents you can see."), field="answers")
    DocumentLink.objects.filter(source=document, kind=LinkKind.ANSWERS).exclude(
        target_id__in=visible
    ).delete()
    for pk in visible:
        DocumentLink.objects.get_or_create(source=document, target_id=pk, kind=LinkKind.ANSWERS)


def _meta(**fields: Any) -> DraftIn:
    fields["recipients"] = tuple(fields.get("recipients") or ())
    fields["answers"] = tuple(fields.get("answers") or ())
    for name in ("description", "signer_position", "signer_name"):
        fields[name] = fields.get(name) or ""
    return DraftIn(**fields)


@transaction.atomic
def draft_create(
    *,
    drafting_unit: Unit,
    doc_type: str,
    subject: str,
    by: Actor,
    recipients: Sequence[RecipientIn] = (),
    urgency: str = Urgency.NORMAL,
    secrecy: str = Secrecy.NONE,
    due_on: dt.date | None = None,
    answers: Sequence[Document] = (),
    description: str = "",
    signer_position: str = "",
    signer_name: str = "",
) -> Document:
    """Start an outgoing document in a unit the drafter works in; it will be issued in the name
    of that unit's agency. ``answers`` are the (incoming) documents it replies to."""
    require_draft_in(by, drafting_unit)
    meta = _meta(
        doc_type=doc_type,
        subject=subject,
        recipients=recipients,
        urgency=urgency,
        secrecy=secrecy,
        due_on=due_on,
        answers=answers,
        description=description,
        signer_position=signer_position,
        signer_name=signer_name,
    )
    _check_meta(meta)
    agency = agency_of(drafting_unit)
    document = Document(
        drafting_unit=drafting_unit,
        issuer_unit=agency,
        issuer_name=agency.name[:200],
        issuer_code=agency.agency_code,
        drafted_by=by,
        medium=Medium.INTERNAL,
        state=DraftState.DRAFT,
    )
    _apply_meta(document, meta)
    document.save()
    _set_recipients(document, meta.recipients)
    _set_answers(document, meta.answers, by)
    audit(
        AuditEvent.DOCUMENT_DRAFTED,
        by=by,
        target=document,
        scope=agency,
        change="created",
        doc_type=document.doc_type,
        subject=document.subject,
    )
    return document


@transaction.atomic
def draft_update(
    *,
    document: Document,
    doc_type: str,
    subject: str,
    by: Actor,
    recipients: Sequence[RecipientIn] = (),
    urgency: str = Urgency.NORMAL,
    secrecy: str = Secrecy.NONE,
    due_on: dt.date | None = None,
    answers: Sequence[Document] = (),
    description: str = "",
    signer_position: str = "",
    signer_name: str = "",
) -> Document:
    """Change a draft's metadata, recipients and the documents it answers while it is a draft
    (the whole set is given, as the form shows it)."""
    document = _locked(document)
    require(Action.EDIT_DRAFT, by, document)
    meta = _meta(
        doc_type=doc_type,
        subject=subject,
        recipients=recipients,
        urgency=urgency,
        secrecy=secrecy,
        due_on=due_on,
        answers=answers,
        description=description,
        signer_position=signer_position,
        signer_name=signer_name,
    )
    _check_meta(meta)
    _apply_meta(document, meta)
    document.save()
    _set_recipients(document, meta.recipients)
    _set_answers(document, meta.answers, by)
    audit(AuditEvent.DOCUMENT_DRAFTED, by=by, target=document, scope=document.issuer_unit, change="updated")
    return document


@transaction.atomic
def draft_version_add(*, document: Document, upload: Any, by: Actor, comment: str = "") -> DocumentFile:
    """Upload a new version of the draft's text; earlier versions stay."""
    document = _locked(document)
    require(Action.EDIT_DRAFT, by, document)
    if upload is None:
        raise DocumentError(_("Choose the file of the new version."), field="file")
    record = document_file_store(
        document=document, upload=upload, role=FileRole.DRAFT, by=by, comment=comment.strip()
    )
    document.save(update_fields=["updated_at"])
    audit(
        AuditEvent.DOCUMENT_DRAFTED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        change="version",
        version=record.version,
        sha256=record.sha256,
    )
    return record


def _holds(role: str, unit: Unit) -> bool:
    return RoleAssignment.objects.active().filter(role=role, unit=unit).exists()


def _chain_units(drafting_unit: Unit, agency: Unit) -> list[Unit]:
    """The drafting unit and the units above it, up to and including its agency, nearest first."""
    ids = path_ids(drafting_unit.path)
    ids = ids[ids.index(agency.pk) :] if agency.pk in ids else [drafting_unit.pk]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [units[pk] for pk in reversed(ids) if pk in units]


def review_chain(*, document: Document, drafter: Actor) -> tuple[list[tuple[str, Unit]], bool]:
    """The steps a draft passes: for each role of the agency's chain, the nearest unit above the
    drafting unit where someone holds it. A step is skipped where nobody holds the role, or where
    the drafter holds it there themselves (a head does not approve their own draft); the flag
    says whether the drafter's own role stood in for a step."""
    assert document.drafting_unit is not None and document.issuer_unit is not None
    units = _chain_units(document.drafting_unit, document.issuer_unit)
    steps: list[tuple[str, Unit]] = []
    own = False
    for role in profile_for(document.issuer_unit).review_roles:
        unit = next((u for u in units if _holds(role, u)), None)
        if unit is None:
            continue
        if any(unit.path.startswith(p) for p in role_paths(drafter, {role})):
            own = True
            continue
        steps.append((role, unit))
    return steps, own


@transaction.atomic
def draft_submit_review(*, document: Document, by: Actor) -> Document:
    """Put the draft before its reviewers: a new round of steps. A draft whose drafter holds
    every role of the chain that anyone holds is approved at once (the leader's own draft)."""
    document = _locked(document)
    require(Action.SUBMIT_REVIEW, by, document)
    if not document.files.filter(role=FileRole.DRAFT).exists():
        raise DocumentError(_("Upload the text of the draft before submitting it."), field="file")
    steps, own = review_chain(document=document, drafter=by)
    if not steps and not own:
        raise DocumentError(
            _("Nobody can review this draft: ask the administrator to assign the reviewers' roles.")
        )
    last = document.reviews.aggregate(n=Max("round"))["n"] or 0
    Review.objects.bulk_create(
        Review(document=document, round=last + 1, order=i, role=role, unit=unit)
        for i, (role, unit) in enumerate(steps, start=1)
    )
    document.state = DraftState.IN_REVIEW if steps else DraftState.APPROVED
    document.save(update_fields=["state", "updated_at"])
    audit(
        AuditEvent.DOCUMENT_DRAFTED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        change="submitted",
        round=last + 1,
        steps=[f"{role}@{unit.pk}" for role, unit in steps],
    )
    return document


def _acted(review: Review, state: str, comment: str, by: Actor) -> None:
    review.state = state
    review.comment = comment[:2000]
    review.reviewer = by
    review.acted_at = timezone.now()
    review.save(update_fields=["state", "comment", "reviewer", "acted_at"])


@transaction.atomic
def review_approve(*, document: Document, by: Actor, comment: str = "") -> Document:
    """Approve the current step; after the last step the draft waits for the clerk to issue it."""
    document = _locked(document)
    require(Action.APPROVE, by, document)
    review = current_review(document)
    _acted(review, ReviewState.APPROVED, comment.strip(), by)
    if current_review(document) is None:
        document.state = DraftState.APPROVED
    document.save(update_fields=["state", "updated_at"])
    audit(
        AuditEvent.DOCUMENT_REVIEWED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        decision="approved",
        round=review.round,
        step=review.order,
        role=review.role,
        comment=review.comment,
    )
    return document


@transaction.atomic
def review_send_back(*, document: Document, comment: str, by: Actor) -> Document:
    """Send the draft back to its drafter with a comment; the round ends (later steps are not
    needed) and the next submission starts a new one."""
    document = _locked(document)
    require(Action.SEND_BACK, by, document)
    comment = comment.strip()
    if not comment:
        raise DocumentError(_("Say what must change before sending the draft back."), field="comment")
    review = current_review(document)
    _acted(review, ReviewState.SENT_BACK, comment, by)
    document.reviews.filter(round=review.round, state=ReviewState.PENDING).update(state=ReviewState.CANCELLED)
    document.state = DraftState.DRAFT
    document.save(update_fields=["state", "updated_at"])
    audit(
        AuditEvent.DOCUMENT_REVIEWED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        decision="sent_back",
        round=review.round,
        step=review.order,
        role=review.role,
        comment=comment[:2000],
    )
    return document


@transaction.atomic
def draft_abandon(*, document: Document, by: Actor, reason: str = "") -> Document:
    """Give up a draft; it stays, with its versions and reviews, marked abandoned."""
    document = _locked(document)
    require(Action.ABANDON, by, document)
    document.state = DraftState.ABANDONED
    document.withdrawn_reason = reason.strip()[:1000]
    document.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    audit(
        AuditEvent.DOCUMENT_DRAFTED,
        by=by,
        target=document,
        scope=document.issuer_unit,
        change="abandoned",
        reason=document.withdrawn_reason,
    )
    return document
