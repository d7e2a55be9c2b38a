"""Public status look-up as JSON: what the portal's look-up page shows, for the national portal,
SMS and chat bots. No account; the same proof and the same rate limits as the page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from egov.core.api import ErrorOut, error_body
from egov.core.schema import Line
from egov.portal import selectors
from egov.portal.ratelimit import rate_limited

router = Router(tags=["public"])


class LookupIn(Schema):
    code: Annotated[Line, Field(max_length=60)]
    # the receipt's look-up code or the applicant's phone number
    proof: Annotated[Line, Field(max_length=60)]


class TimelineOut(Schema):
    at: dt.datetime
    label: str
    text: str


class LookupOut(Schema):
    """Read from ``selectors.PublicStatus``."""

    code: str
    procedure: str
    state: str
    state_label: str
    office: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    postal_tracking: str
    timeline: list[TimelineOut]


@router.post(
    "/lookup",
    auth=None,
    response={200: LookupOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Status of a dossier by its code and the receipt's look-up code or the applicant's phone",
)
def lookup(request: HttpRequest, payload: LookupIn) -> Any:
    """Unknown codes and wrong proofs answer the same 404, so codes cannot be enumerated."""
    if rate_limited(request, "lookup", payload.code):
        return Status(
            429, error_body("rate_limited", _("Too many look-ups. Please wait a few minutes and try again."))
        )
    found = selectors.dossier_lookup(code=payload.code, proof=payload.proof)
    if found is None:
        return Status(
            404,
            error_body(
                "not_found",
                _(
                    "We found no dossier with this code and this phone number or look-up code. "
                    "Check both against your receipt and try again."
                ),
            ),
        )
    return Status(200, found)
