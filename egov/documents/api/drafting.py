"""API: drafting, review and issue of outgoing documents, and reading any document the caller
may see. The same services as the pages; ``actions`` in each answer come from the workflow table.

Errors: 404 for a document the caller may not see, 403 for an action they may never take, 422
for bad input or an action the document's state does not allow now."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS, error_body
from egov.core.schema import Block, Count, Day, Line
from egov.documents import selectors, services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import AccessKind, Document, DocumentType, Register, Secrecy, Urgency
from egov.documents.workflow import available_actions
from egov.orgs.models import Unit
from egov.signatures.schemas import SignatureCheckOut
from egov.signatures.selectors import report_json, reports_for

router = Router(tags=["documents"])


class RecipientIn(Schema):
    unit_id: int | None = None
    name: Annotated[Line, Field(max_length=200)] = ""
    organ_code: Annotated[Line, Field(max_length=35)] = ""


class DraftBody(Schema):
    doc_type: DocumentType
    subject: Annotated[Line, Field(min_length=1, max_length=500)]
    description: Annotated[Line, Field(max_length=500)] = ""
    urgency: Urgency = Urgency.NORMAL
    secrecy: Secrecy = Secrecy.NONE
    due_on: Day | None = None
    recipients: Annotated[list[RecipientIn], Field(max_length=300)] = []
    answers: Annotated[list[int], Field(max_length=50)] = []
    signer_position: Annotated[Line, Field(max_length=100)] = ""
    signer_name: Annotated[Line, Field(max_length=50)] = ""


class DraftCreateIn(DraftBody):
    drafting_unit_id: int


class RecipientOut(Schema):
    unit_id: int | None
    name: str
    organ_code: str
    delivered_at: dt.datetime | None
    frozen_at: dt.datetime | None
    entry_id: int | None


class FileOut(Schema):
    id: int
    role: str
    version: int
    name: str
    sha256: str
    size: int
    content_type: str
    uploaded_by_id: int | None
    uploaded_at: dt.datetime
    comment: str
    # The stored check of a PDF's digital signatures (None: not a PDF, or not checked).
    signature_check: SignatureCheckOut | None = None


class ReviewOut(Schema):
    round: int
    order: int
    role: str
    unit_id: int
    state: str
    reviewer_id: int | None
    comment: str
    acted_at: dt.datetime | None


class LinkOut(Schema):
    kind: str
    target_id: int


class DocumentOut(Schema):
    id: int
    doc_type: str
    subject: str
    description: str
    state: str
    number: str
    notation: str
    issued_on: dt.date | None
    identifier: str
    issuer_name: str
    issuer_unit_id: int | None
    drafting_unit_id: int | None
    drafted_by_id: int | None
    register_id: int | None
    urgency: str
    secrecy: str
    due_on: dt.date | None
    signer_position: str
    signer_name: str
    withdrawn_reason: str
    replaced_by_id: int | None
    recipients: list[RecipientOut]
    files: list[FileOut]
    reviews: list[ReviewOut]
    links: list[LinkOut]
    actions: list[str]


class DocumentRow(Schema):
    id: int
    doc_type: str
    subject: str
    state: str
    number: str
    notation: str
    drafting_unit_id: int | None
    updated_at: dt.datetime


class VersionIn(Schema):
    comment: Annotated[Block, Field(max_length=1000)] = ""


class CommentIn(Schema):
    comment: Annotated[Block, Field(max_length=2000)] = ""


class ReasonIn(Schema):
    reason: Annotated[Block, Field(max_length=1000)] = ""


class ReplaceIn(ReasonIn):
    replacement_id: int


class IssueIn(Schema):
    register_id: int
    issued_on: Day | None = None
    signer_position: Annotated[Line, Field(max_length=100)] = ""
    signer_name: Annotated[Line, Field(max_length=50)] = ""
    copies: Count | None = None


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise Http404  # the staff API does not exist for citizens
    return user


def _out(document: Document, user: User) -> dict[str, Any]:
    fields = {name: getattr(document, name) for name in DocumentOut.model_fields if hasattr(document, name)}
    fields["recipients"] = list(document.recipients.order_by("pk"))
    fields["files"] = list(document.files.order_by("role", "version", "pk"))
    checks = reports_for(f.sha256 for f in fields["files"] if f.content_type == "application/pdf")
    for f in fields["files"]:
        f.signature_check = report_json(checks.get(f.sha256)) if f.content_type == "application/pdf" else None
    fields["reviews"] = list(document.reviews.all())
    fields["links"] = list(document.links_out.values("kind", "target_id"))
    fields["actions"] = [str(a) for a in available_actions(user, document)]
    return fields


def _refused(exc: DocumentError) -> Status[dict[str, Any]]:
    if isinstance(exc, ActionForbidden):
        raise HttpError(403, str(exc)) from exc
    field = exc.field or "__all__"
    return Status(422, error_body("invalid", str(exc), {field: [str(exc)]}))


def _meta(payload: DraftBody, user: User) -> dict[str, Any]:
    recipients = []
    for r in payload.recipients:
        if r.unit_id is not None:
            unit = Unit.objects.filter(pk=r.unit_id).first()
            if unit is None:
                raise DocumentError(
                    _("No agency has the identifier %(id)s.") % {"id": r.unit_id}, "recipients"
                )
            recipients.append(services.RecipientIn(unit=unit))
        else:
            recipients.append(services.RecipientIn(name=r.name, organ_code=r.organ_code))
    answers = list(Document.objects.filter(pk__in=payload.answers))
    if len(answers) != len(set(payload.answers)):
        raise DocumentError(_("You may only answer documents you can see."), "answers")
    return {
        "doc_type": payload.doc_type,
        "subject": payload.subject,
        "description": payload.description,
        "urgency": payload.urgency,
        "secrecy": payload.secrecy,
        "due_on": payload.due_on,
        "recipients": recipients,
        "answers": answers,
        "signer_position": payload.signer_position,
        "signer_name": payload.signer_name,
    }


def _rows(qs: Any) -> list[Document]:
    return list(qs[:200])


@router.get("/drafts", response={200: list[DocumentRow], **SIGNED_IN_ERRORS}, summary="My drafts")
def drafts_mine(request: HttpRequest) -> Any:
    return _rows(selectors.drafts_of(_staff(request)))


@router.get(
    "/drafts/reviews",
    response={200: list[DocumentRow], **SIGNED_IN_ERRORS},
    summary="Drafts waiting for my review",
)
def drafts_to_review(request: HttpRequest) -> Any:
    return _rows(selectors.reviews_waiting_for(_staff(request)))


@router.get(
    "/drafts/to-issue",
    response={200: list[DocumentRow], **SIGNED_IN_ERRORS},
    summary="Approved drafts to issue",
)
def drafts_to_issue(request: HttpRequest) -> Any:
    return _rows(selectors.to_issue(_staff(request)))


@router.post("/drafts", response={201: DocumentOut, **OBJECT_ERRORS}, summary="Start a draft")
def draft_create(request: HttpRequest, payload: DraftCreateIn) -> Any:
    user = _staff(request)
    unit = get_object_or_404(Unit, pk=payload.drafting_unit_id)
    try:
        document = services.draft_create(drafting_unit=unit, by=user, **_meta(payload, user))
    except DocumentError as exc:
        return _refused(exc)
    return Status(201, _out(document, user))


@router.get("/drafts/{int:document_id}", response={200: DocumentOut, **OBJECT_ERRORS}, summary="One document")
def document_get(request: HttpRequest, document_id: int) -> Any:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=document_id)
    services.access_record(document=document, user=user, kind=AccessKind.VIEW)
    return _out(document, user)


@router.put(
    "/drafts/{int:document_id}", response={200: DocumentOut, **OBJECT_ERRORS}, summary="Change a draft"
)
def draft_update(request: HttpRequest, document_id: int, payload: DraftBody) -> Any:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=document_id)
    try:
        document = services.draft_update(document=document, by=user, **_meta(payload, user))
    except DocumentError as exc:
        return _refused(exc)
    return _out(document, user)


@router.post(
    "/drafts/{int:document_id}/versions",
    response={201: FileOut, **OBJECT_ERRORS},
    summary="Upload a new version of the draft (multipart: file, comment)",
)
def draft_version_add(
    request: HttpRequest,
    document_id: int,
    file: File[UploadedFile],
    payload: Form[VersionIn],
) -> Any:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=document_id)
    try:
        record = services.draft_version_add(document=document, upload=file, comment=payload.comment, by=user)
    except DocumentError as exc:
        return _refused(exc)
    return Status(201, record)


def _act(request: HttpRequest, document_id: int, run: Any) -> Any:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=document_id)
    try:
        run(document, user)
    except DocumentError as exc:
        return _refused(exc)
    document.refresh_from_db()
    return _out(document, user)


@router.post(
    "/drafts/{int:document_id}/submit",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Submit for review",
)
def draft_submit(request: HttpRequest, document_id: int) -> Any:
    return _act(request, document_id, lambda d, u: services.draft_submit_review(document=d, by=u))


@router.post(
    "/drafts/{int:document_id}/approve",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Approve the step",
)
def draft_approve(request: HttpRequest, document_id: int, payload: CommentIn) -> Any:
    return _act(
        request, document_id, lambda d, u: services.review_approve(document=d, comment=payload.comment, by=u)
    )


@router.post(
    "/drafts/{int:document_id}/send-back",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Send back to the drafter (comment required)",
)
def draft_send_back(request: HttpRequest, document_id: int, payload: CommentIn) -> Any:
    return _act(
        request,
        document_id,
        lambda d, u: services.review_send_back(document=d, comment=payload.comment, by=u),
    )


@router.post(
    "/drafts/{int:document_id}/abandon",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Abandon a draft",
)
def draft_abandon(request: HttpRequest, document_id: int, payload: ReasonIn) -> Any:
    return _act(
        request, document_id, lambda d, u: services.draft_abandon(document=d, reason=payload.reason, by=u)
    )


@router.post(
    "/drafts/{int:document_id}/issue",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Issue an approved draft (multipart: register_id, issued_on, signer, optional signed PDF main_file)",
)
def draft_issue(
    request: HttpRequest,
    document_id: int,
    payload: Form[IssueIn],
    main_file: File[UploadedFile] | None = None,
) -> Any:
    register = Register.objects.filter(pk=payload.register_id).first()
    if register is None:
        message = _("Choose an outgoing register of the issuing agency.")
        return Status(422, error_body("invalid", message, {"register_id": [message]}))
    return _act(
        request,
        document_id,
        lambda d, u: services.document_issue(
            document=d,
            register=register,
            issued_on=payload.issued_on,
            main_file=main_file,
            signer_position=payload.signer_position,
            signer_name=payload.signer_name,
            copies=payload.copies,
            by=u,
        ),
    )


@router.post(
    "/drafts/{int:document_id}/recall",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Recall an issued document (reason required)",
)
def document_recall(request: HttpRequest, document_id: int, payload: ReasonIn) -> Any:
    return _act(
        request, document_id, lambda d, u: services.document_recall(document=d, reason=payload.reason, by=u)
    )


@router.post(
    "/drafts/{int:document_id}/replace",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Replace an issued document by another issued one (reason required)",
)
def document_replace(request: HttpRequest, document_id: int, payload: ReplaceIn) -> Any:
    def run(document: Document, user: User) -> None:
        try:
            replacement = selectors.document_get_for_user(user=user, pk=payload.replacement_id)
        except Http404 as exc:
            message = _("The replacement must be another document issued by the same agency.")
            raise DocumentError(message, field="replacement_id") from exc
        services.document_replace(document=document, replacement=replacement, reason=payload.reason, by=user)

    return _act(request, document_id, run)


class CopyIn(Schema):
    form: str = "sao_y"


class DeviceRequestOut(Schema):
    """The key is on the signer's own device: sign ``digest`` there and post the CMS to
    ``complete``; nothing of the document changes until then."""

    request_id: str
    digest: str
    algorithm: str
    expires_at: dt.datetime
    complete: str


@router.post(
    "/drafts/{int:document_id}/sign",
    response={200: DocumentOut, 202: DeviceRequestOut, **OBJECT_ERRORS},
    summary="Sign as the competent person (own key and handwritten image); signing again does nothing. "
    "202 when the key is on the signer's own device: the digest to sign there.",
)
def document_sign(request: HttpRequest, document_id: int) -> Any:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=document_id)
    try:
        services.document_sign(document=document, by=user)
    except services.SignOnDevice:
        try:
            prepared = services.document_sign_device_prepare(document=document, by=user)
        except DocumentError as exc:
            return _refused(exc)
        return Status(
            202,
            DeviceRequestOut(
                request_id=prepared.id,
                digest=prepared.digest,
                algorithm=prepared.algorithm,
                expires_at=prepared.expires_at,
                complete=f"/api/v1/signatures/device/{prepared.id}/complete",
            ),
        )
    except DocumentError as exc:
        return _refused(exc)
    document.refresh_from_db()
    return _out(document, user)


@router.post(
    "/drafts/{int:document_id}/copies",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="Make an electronic copy (sao y) signed by the clerk's agency",
)
def document_copy(request: HttpRequest, document_id: int, payload: CopyIn) -> Any:
    return _act(
        request, document_id, lambda d, u: services.document_copy(document=d, form=payload.form, by=u)
    )
