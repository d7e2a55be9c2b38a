"""The JSON shape of a signature check, shared by the signature API and the file objects other
apps' APIs return (``signature_check``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class SignatureOut(Schema):
    field_name: str
    verdict: str
    signer: str
    organization: str
    certificate_subject: str
    certificate_issuer: str
    certificate_serial: str
    certificate_not_after: str
    signing_time: str | None
    timestamp_time: str | None
    intact: bool
    trusted: bool
    revoked: bool
    permitted_changes: bool | None
    covers_whole_file: bool
    judged_at_timestamp: bool | None = None
    reasons: list[str]


class SignatureCheckOut(Schema):
    """valid · invalid · unknown · unsigned · unreadable · pending, in plain words in ``summary``."""

    verdict: str
    summary: str
    checked_at: dt.datetime | None
    signatures: list[SignatureOut]
