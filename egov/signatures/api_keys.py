"""API: the signer's own device (token and vendor software on their computer). The page that
prepares a signature gives the client a request id; the client reads the digest to sign and
posts the CMS signature back. Only the user who prepared a request sees it (404 otherwise)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.api import OBJECT_ERRORS, error_body
from egov.signatures import remote
from egov.signatures.errors import SignatureError

router = Router(tags=["signatures"])


class DeviceRequestOut(Schema):
    id: str
    digest: str = Field(description="SHA-256 of the PDF's byte ranges, base64: the CMS messageDigest")
    algorithm: str
    certificate: str = Field(description="the certificate expected to sign (DER, base64)")
    expires_at: dt.datetime
    completed: bool


class CompleteIn(Schema):
    cms: str = Field(min_length=1, max_length=65536, description="detached CMS signature (DER, base64)")


class CompleteOut(Schema):
    id: str
    sha256: str
    size: int


def _user(request: HttpRequest) -> User:
    user = request.user
    if not is_staff_user(user) or not isinstance(user, User):
        raise Http404
    return user


def _row(request: HttpRequest, request_id: str) -> Any:
    try:
        return remote.prepared_for(prepared_id=request_id, by=_user(request))
    except SignatureError as exc:
        raise Http404 from exc


@router.get("/device/{request_id}", response={200: DeviceRequestOut, **OBJECT_ERRORS})
def device_request(request: HttpRequest, request_id: str) -> Any:
    """What the signer's device must sign for this request."""
    row = _row(request, request_id)
    prepared = remote.Prepared.of(row)
    return DeviceRequestOut(
        id=prepared.id,
        digest=prepared.digest,
        algorithm=prepared.algorithm,
        certificate=base64.b64encode(prepared.certificate).decode(),
        expires_at=prepared.expires_at,
        completed=row.completed_at is not None,
    )


@router.post("/device/{request_id}/complete", response={200: CompleteOut, **OBJECT_ERRORS})
def device_complete(request: HttpRequest, request_id: str, payload: CompleteIn) -> Any:
    """The CMS signature made on the device; the server checks and embeds it."""
    row = _row(request, request_id)
    try:
        data = base64.b64decode(payload.cms, validate=True)
    except (binascii.Error, ValueError):
        message = remote.not_base64_message()
        return Status(422, error_body("invalid", message, {"cms": [message]}))
    try:
        signed = remote.complete(prepared_id=str(row.pk), cms=data, by=_user(request))
    except SignatureError as exc:
        return Status(422, error_body("invalid", str(exc), {exc.field or "__all__": [str(exc)]}))
    return CompleteOut(id=str(row.pk), sha256=hashlib.sha256(signed).hexdigest(), size=len(signed))
