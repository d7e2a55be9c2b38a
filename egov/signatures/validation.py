"""Checking every signature of a PDF with pyHanko against the operator's trust roots, using
the revocation data the revocation job fetched (checking itself never needs the network).

The outcome per signature, and for the file, is one of: valid, invalid (the bytes changed
after signing, the signature does not verify, the certificate was revoked, later changes
are not permitted ones), unknown (the chain does not reach a trusted root, or revocation
cannot be decided), in plain words for a clerk and a citizen."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from asn1crypto import x509
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError
from egov.signatures.models import RevocationData, RevocationKind, TrustRoot, Verdict
from egov.signatures.pdf import read_pdf


@dataclass
class SignatureResult:
    """One signature of a file, as stored in :attr:`ValidationReport.signatures`."""

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
    reasons: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    verdict: str
    summary: str
    signatures: list[SignatureResult]
    trust_hash: str

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(s) for s in self.signatures]


def trust_roots() -> list[x509.Certificate]:
    return [x509.Certificate.load(bytes(r.certificate)) for r in TrustRoot.objects.filter(is_active=True)]


def trust_hash() -> str:
    """Identifies the set of trust roots in force; a report made under another set is stale."""
    prints = sorted(TrustRoot.objects.filter(is_active=True).values_list("sha256", flat=True))
    return hashlib.sha256("\n".join(prints).encode()).hexdigest()


def validation_context(*, fetch: bool = False, at: dt.datetime | None = None) -> Any:
    """A pyHanko validation context: the active trust roots and the cached CRLs and OCSP
    responses. ``fetch`` allows going to the network for what is missing (signing at B-LT,
    the revocation job); checking uses only what is cached."""
    from asn1crypto import crl, ocsp
    from pyhanko_certvalidator import ValidationContext

    crls, ocsps = [], []
    for row in RevocationData.objects.exclude(data=None).only("kind", "data"):
        raw = bytes(row.data or b"")
        try:
            if row.kind == RevocationKind.CRL:
                crls.append(crl.CertificateList.load(raw))
            else:
                ocsps.append(ocsp.OCSPResponse.load(raw))
        except ValueError:
            continue
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=crls,
        ocsps=ocsps,
        allow_fetching=fetch,
        revocation_mode="soft-fail",
        moment=at,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _name_part(cert: x509.Certificate, part: str) -> str:
    value = cert.subject.native.get(part, "")
    return value if isinstance(value, str) else ", ".join(value)


def _check_one(embedded: Any, context: Any) -> SignatureResult:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    reasons: list[str] = []
    try:
        status = validate_pdf_signature(
            embedded, signer_validation_context=context, key_usage_settings=KeyUsageConstraints()
        )
    except (SignatureValidationError, ValueError) as exc:
        cert = embedded.signer_cert
        return SignatureResult(
            field_name=embedded.field_name,
            verdict=Verdict.INVALID,
            signer=_name_part(cert, "common_name") if cert else "",
            organization=_name_part(cert, "organization_name") if cert else "",
            certificate_subject=cert.subject.human_friendly if cert else "",
            certificate_issuer=cert.issuer.human_friendly if cert else "",
            certificate_serial=format(cert.serial_number, "X") if cert else "",
            certificate_not_after="",
            signing_time=None,
            timestamp_time=None,
            intact=False,
            trusted=False,
            revoked=False,
            permitted_changes=None,
            covers_whole_file=False,
            reasons=[_("The signature cannot be read: %(error)s") % {"error": exc}],
        )
    cert = status.signing_cert
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    revoked = bool(status.revoked)
    mod_level = getattr(status, "modification_level", None)
    permitted = getattr(status, "docmdp_ok", None)
    whole = str(getattr(status, "coverage", "")).endswith("ENTIRE_FILE")
    ts = status.timestamp_validity
    if not intact:
        reasons.append(
            _("The file was changed after this signature was made, or the signature does not match it.")
        )
    if revoked:
        reasons.append(_("The signer's certificate has been revoked."))
    if permitted is False:
        reasons.append(_("Changes made to the file after this signature are not permitted ones."))
    if not trusted and not revoked:
        reasons.append(
            _(
                "The certificate does not lead to a trusted root, or whether it was revoked cannot be confirmed."
            )
        )
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        reasons.append(_("The timestamp cannot be confirmed."))
    if not intact or revoked or permitted is False:
        verdict = Verdict.INVALID
    elif trusted and (ts is None or (ts.intact and ts.valid and ts.trusted)):
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNKNOWN
    del mod_level, ModificationLevel
    not_after = cert["tbs_certificate"]["validity"]["not_after"].native
    return SignatureResult(
        field_name=embedded.field_name,
        verdict=verdict,
        signer=_name_part(cert, "common_name"),
        organization=_name_part(cert, "organization_name"),
        certificate_subject=cert.subject.human_friendly,
        certificate_issuer=cert.issuer.human_friendly,
        certificate_serial=format(cert.serial_number, "X"),
        certificate_not_after=_iso(not_after) or "",
        signing_time=_iso(status.signer_reported_dt),
        timestamp_time=_iso(ts.timestamp) if ts is not None else None,
        intact=intact,
        trusted=trusted,
        revoked=revoked,
        permitted_changes=permitted,
        covers_whole_file=whole,
        reasons=reasons,
    )


def _summary(verdict: str, results: list[SignatureResult]) -> str:
    if verdict == Verdict.UNSIGNED:
        return _("The file carries no digital signature.")
    names = ", ".join(r.signer for r in results if r.signer)
    if verdict == Verdict.VALID:
        return _("Signed by %(names)s; unchanged since signing; certificates trusted.") % {"names": names}
    reasons = [reason for r in results for reason in r.reasons]
    return " ".join(dict.fromkeys(reasons))[:1000]


def validate_pdf(data: bytes, *, context: Any = None) -> FileResult:
    """Check every signature of ``data``. A file that is not a readable PDF gives the verdict
    ``unreadable`` with the reason, not an exception."""
    try:
        reader = read_pdf(data)
    except SignatureError as exc:
        return FileResult(Verdict.UNREADABLE, str(exc), [], trust_hash())
    ctx = context if context is not None else validation_context()
    results = [_check_one(sig, ctx) for sig in reader.embedded_signatures]
    if not results:
        verdict: str = Verdict.UNSIGNED
    elif any(r.verdict == Verdict.INVALID for r in results):
        verdict = Verdict.INVALID
    elif all(r.verdict == Verdict.VALID for r in results):
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNKNOWN
    return FileResult(verdict, _summary(verdict, results), results, trust_hash())
