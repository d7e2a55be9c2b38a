"""The signature API (django-ninja): checks of stored files, the public check of an uploaded
PDF, and the signer's-own-device signing exchange."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from egov.core.api import ErrorOut, error_body
from egov.signatures.schemas import SignatureCheckOut
from egov.signatures.views_check import CheckRefused, check_uploaded, memory_only, too_large

router = Router(tags=["signatures"])


@router.post(
    "/check",
    auth=None,
    response={200: SignatureCheckOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Check the digital signatures of a PDF (multipart: file); nothing is stored",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def check(request: HttpRequest) -> Any:
    """The same report as the public check page: verdict (valid, invalid, unknown, unsigned),
    a plain summary and each signature. The upload is read in memory and forgotten (the file
    is read here rather than declared as a parameter so that it is never spooled to disk)."""
    memory_only(request)
    try:
        if too_large(request):
            raise CheckRefused(_("The PDF is larger than 50 MB."), 413)
        return Status(200, check_uploaded(request, request.FILES.get("file")))
    except CheckRefused as exc:
        code = {413: "too_large", 429: "rate_limited"}.get(exc.status, "invalid")
        fields = {"file": [str(exc)]} if exc.status == 422 else None
        if fields is None:
            return Status(exc.status, error_body(code, str(exc)))
        return Status(exc.status, error_body(code, _("The data is not valid."), fields))
