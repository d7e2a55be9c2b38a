"""Reads of the signature app: the key and the image an owner signs with, stored check results
for a page's files (one query), their JSON shape for the API, and the trust roots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from egov.signatures.models import (
    ImageKind,
    KeyBackend,
    SignatureImage,
    SigningKey,
    TrustRoot,
    ValidationReport,
)

PDF = "application/pdf"


def active_key(*, user: Any = None, unit: Any = None, on_server: bool = False) -> SigningKey | None:
    """The key a person (``user``) or an agency (``unit``) signs with: the newest in use.
    ``on_server`` leaves out keys on the signer's own device."""
    owner = {"user_id": user.pk} if user is not None else {"unit": unit}
    keys = SigningKey.objects.filter(is_active=True, **owner)
    if on_server:
        keys = keys.exclude(backend=KeyBackend.CLIENT)
    return keys.order_by("-created_at", "-pk").first()


def active_image(*, kind: ImageKind | str, user: Any = None, unit: Any = None) -> SignatureImage | None:
    """The handwritten signature (``user``) or seal (``unit``) in use: the newest upload."""
    owner = {"user": user} if user is not None else {"unit": unit}
    return (
        SignatureImage.objects.filter(kind=kind, is_active=True, **owner)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def reports_for(sha256s: Iterable[str]) -> dict[str, ValidationReport]:
    """The stored checks of these contents, by SHA-256, in one query."""
    wanted = {s for s in sha256s if s}
    if not wanted:
        return {}
    return {r.sha256: r for r in ValidationReport.objects.filter(sha256__in=wanted)}


def _when(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


SIGNATURE_FIELDS = (
    "field_name",
    "verdict",
    "signer",
    "organization",
    "certificate_subject",
    "certificate_issuer",
    "certificate_serial",
    "certificate_not_after",
    "signing_time",
    "timestamp_time",
    "intact",
    "trusted",
    "revoked",
    "permitted_changes",
    "covers_whole_file",
    "judged_at_timestamp",
    "reasons",
)


def signature_public(sig: dict[str, Any]) -> dict[str, Any]:
    """What a page and the API show of one signature (not the certificates it carries)."""
    return {name: sig.get(name) for name in SIGNATURE_FIELDS}


def report_json(report: ValidationReport | None) -> dict[str, Any] | None:
    """``{verdict, summary, checked_at, signatures}`` of a stored check, or None."""
    if report is None:
        return None
    return {
        "verdict": report.verdict,
        "summary": report.summary,
        "checked_at": report.checked_at,
        "signatures": [signature_public(s) for s in report.signatures or [] if isinstance(s, dict)],
    }


def badge_view(verdict: str, summary: str, signatures: list[dict[str, Any]]) -> dict[str, Any]:
    """What the badge partial renders: the verdict, the summary and each signature with its
    times parsed (they are stored as ISO 8601 strings)."""
    shown = []
    for sig in signatures:
        item = signature_public(sig)
        item["signing_time"] = _when(sig.get("signing_time"))
        item["timestamp_time"] = _when(sig.get("timestamp_time"))
        item["certificate_not_after"] = _when(sig.get("certificate_not_after"))
        shown.append(item)
    return {"verdict": verdict, "summary": summary, "signatures": shown}


def trust_roots_list() -> QuerySet[TrustRoot]:
    return TrustRoot.objects.select_related("added_by").order_by("-is_active", "name", "pk")
