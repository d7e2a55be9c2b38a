"""Checking every signature of a PDF with pyHanko against the operator's trust roots, using
the revocation data the revocation job fetched (checking itself never goes to the network).

The outcome per signature, and for the file, is one of:

- **valid**: the bytes are unchanged since the signature, the certificate chains to an active
  trust root, it was not revoked, the timestamp (if any) checks out and later changes are only
  the permitted ones (more signatures, form filling);
- **invalid**: the bytes changed, the signature does not verify, the certificate was revoked,
  or a later change is not a permitted one;
- **unknown**: the chain does not reach a trusted root, or revocation cannot be decided yet
  (no CRL or OCSP response cached: the revocation job fetches them and the check runs again).

A certificate that expired since is judged at the time of the signature's timestamp (an RFC 3161
token from a trusted authority proves when it was made): valid if the certificate was valid and
not revoked then. Reasons are plain words for a clerk and a citizen."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from asn1crypto import x509
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError
from egov.signatures.keys import plain_name
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
    # Judged at the timestamp's time because the certificate has expired since.
    judged_at_timestamp: bool = False
    # A document timestamp (B-LTA), not a person's or agency's signature.
    is_document_timestamp: bool = False
    # The certificates the signature carries (signer first, then the chain and the timestamp
    # authority's), base64 DER: the revocation job reads their CRL and OCSP addresses.
    chain: list[str] = field(default_factory=list)


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


@dataclass
class Material:
    """What a check needs from the database, read once per file: roots and cached revocation data."""

    roots: list[x509.Certificate]
    crls: list[Any]
    ocsps: list[Any]
    certs: list[x509.Certificate] = field(default_factory=list)

    @classmethod
    def load(cls) -> Material:
        from asn1crypto import crl, ocsp

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
        return cls(trust_roots(), crls, ocsps)

    def with_dss(self, reader: Any) -> Material:
        """This material plus the validation data embedded in the file (PAdES B-LT/B-LTA: the
        document security store), so that a long-term file checks without the cache."""
        from asn1crypto import crl, ocsp
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        from pyhanko.sign.validation.errors import ValidationInfoReadingError

        try:
            dss = DocumentSecurityStore.read_dss(reader)
            certs = list(dss.load_certs())
            crls = [crl.CertificateList.load(ref.get_object().data) for ref in dss.crls]
            ocsps = [ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps]
        except (ValidationInfoReadingError, PdfError, ValueError, TypeError, KeyError):
            return self
        return Material(self.roots, [*self.crls, *crls], [*self.ocsps, *ocsps], [*self.certs, *certs])

    def context(
        self, *, at: dt.datetime | None = None, retroactive: bool = False, revocation: str = "hard-fail"
    ) -> Any:
        """A context that never fetches: revocation data is required where a certificate
        declares where to find it (``hard-fail``), and only the cached data is used."""
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=self.roots,
            other_certs=self.certs,
            crls=self.crls,
            ocsps=self.ocsps,
            allow_fetching=False,
            revocation_mode=revocation,
            moment=at,
            retroactive_revinfo=retroactive,
        )


def validation_context(*, fetch: bool = False, at: dt.datetime | None = None) -> Any:
    """A pyHanko validation context: the active trust roots and the cached CRLs and OCSP
    responses. ``fetch`` (signing at B-LT) goes to the network for what is missing and
    tolerates what cannot be fetched; checking uses only what is cached and requires it."""
    material = Material.load()
    if not fetch:
        return material.context(at=at)
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=material.roots,
        crls=material.crls,
        ocsps=material.ocsps,
        allow_fetching=True,
        revocation_mode="soft-fail",
        moment=at,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _name_part(cert: x509.Certificate | None, part: str) -> str:
    if cert is None:
        return ""
    value = cert.subject.native.get(part, "")
    return value if isinstance(value, str) else ", ".join(value)


def carried_certificates(embedded: Any) -> list[x509.Certificate]:
    """The signer's certificate, the others the signature carries, and the timestamp
    authority's (from the signature's timestamp token)."""
    certs: list[x509.Certificate] = []
    try:
        certs.append(embedded.signer_cert)
    except Exception:  # a damaged signature carries nothing usable
        return certs
    certs.extend(embedded.other_embedded_certs)
    attrs = embedded.signer_info["unsigned_attrs"]
    for attr in attrs if attrs.native is not None else []:
        if attr["type"].native != "signature_time_stamp_token":
            continue
        for token in attr["values"]:
            for choice in token["content"]["certificates"] or []:
                if choice.name == "certificate":
                    certs.append(choice.chosen)
    unique: dict[bytes, x509.Certificate] = {}
    for cert in certs:
        unique.setdefault(cert.sha256, cert)
    return list(unique.values())


def _base(embedded: Any, cert: x509.Certificate | None) -> dict[str, Any]:
    not_after = cert["tbs_certificate"]["validity"]["not_after"].native if cert is not None else None
    return {
        "field_name": str(embedded.field_name),
        "signer": _name_part(cert, "common_name"),
        "organization": _name_part(cert, "organization_name"),
        "certificate_subject": plain_name(cert.subject) if cert is not None else "",
        "certificate_issuer": plain_name(cert.issuer) if cert is not None else "",
        "certificate_serial": format(cert.serial_number, "X") if cert is not None else "",
        "certificate_not_after": _iso(not_after) or "",
        "chain": [base64.b64encode(c.dump()).decode() for c in carried_certificates(embedded)],
    }


def _validate(embedded: Any, context: Any) -> Any:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return validate_pdf_signature(
        embedded, signer_validation_context=context, key_usage_settings=KeyUsageConstraints()
    )


def _indication(status: Any) -> str:
    indic = getattr(status, "trust_problem_indic", None)
    return str(getattr(indic, "name", "") or "")


_EXPIRED = {"EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}
_REVINFO_MISSING = {"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"}
_REVOKED = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}


def _ts_ok(status: Any) -> bool:
    ts = status.timestamp_validity
    return ts is not None and bool(ts.intact and ts.valid and ts.trusted)


# long: one signature's verdict: the checks and the plain reasons in the order a reader needs them
def _check_one(embedded: Any, material: Material, context: Any) -> SignatureResult:
    from pyhanko.sign.validation.errors import SignatureValidationError

    try:
        cert = embedded.signer_cert
    except Exception:  # reported below as an unreadable signature
        cert = None
    base = _base(embedded, cert)
    try:
        status = _validate(embedded, context)
    except (SignatureValidationError, ValueError, TypeError, KeyError) as exc:
        return SignatureResult(
            **base,
            verdict=Verdict.INVALID,
            signing_time=None,
            timestamp_time=None,
            intact=False,
            trusted=False,
            revoked=False,
            permitted_changes=None,
            covers_whole_file=False,
            reasons=[_("The signature cannot be read or does not verify: %(error)s") % {"error": exc}],
        )
    intact = bool(status.intact and status.valid)
    indication = _indication(status)
    at_timestamp = False
    if intact and not status.trusted and indication in _EXPIRED and _ts_ok(status):
        # Expired since: judge the certificate when the trusted timestamp says it signed.
        earlier = _validate(
            embedded, material.context(at=status.timestamp_validity.timestamp, retroactive=True)
        )
        if earlier.trusted or _indication(earlier) in _REVOKED or earlier.revoked:
            status, indication, at_timestamp = earlier, _indication(earlier), True
    revinfo_missing = indication in _REVINFO_MISSING
    if intact and not status.trusted and indication == "CERTIFICATE_CHAIN_GENERAL_FAILURE":
        # pyHanko reports missing revocation data as a general chain failure: if the chain holds
        # once revocation is left aside, what is missing is the data the job has not fetched yet.
        moment = status.timestamp_validity.timestamp if at_timestamp else context.moment
        lenient = _validate(
            embedded, material.context(at=moment, retroactive=at_timestamp, revocation="none")
        )
        revinfo_missing = bool(lenient.trusted)
    trusted = bool(status.trusted)
    revoked = bool(status.revoked) or indication in _REVOKED
    permitted = status.docmdp_ok
    coverage = getattr(status, "coverage", None)
    whole = getattr(coverage, "name", "") == "ENTIRE_FILE"
    ts = status.timestamp_validity
    reasons: list[str] = []
    if not intact:
        reasons.append(
            _("The file was changed after this signature was made, or the signature does not match it.")
        )
    if revoked:
        reasons.append(_("The signer's certificate has been revoked."))
    if permitted is False:
        reasons.append(
            _(
                "The file was changed after this signature in a way that is not permitted "
                "(for example, page content or comments were added)."
            )
        )
    if intact and not trusted and not revoked:
        if revinfo_missing:
            reasons.append(
                _(
                    "Revocation data not yet fetched: whether the certificate was revoked cannot be "
                    "confirmed yet; the check runs again after the next fetch."
                )
            )
        elif indication in _EXPIRED:
            reasons.append(
                _("The certificate has expired and no trusted timestamp shows it was signed before.")
            )
        else:
            reasons.append(_("The certificate does not lead to a trusted root."))
    if ts is not None and not _ts_ok(status) and intact:
        reasons.append(_("The timestamp cannot be confirmed."))
    if at_timestamp and trusted:
        reasons.append(
            _("The certificate has expired since, but the timestamp shows it was valid when signing.")
        )
    if not intact or revoked or permitted is False:
        verdict = Verdict.INVALID
    elif trusted and (ts is None or _ts_ok(status)):
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNKNOWN
    return SignatureResult(
        **base,
        verdict=verdict,
        signing_time=_iso(status.signer_reported_dt),
        timestamp_time=_iso(ts.timestamp) if ts is not None else None,
        intact=intact,
        trusted=trusted,
        revoked=revoked,
        permitted_changes=permitted,
        covers_whole_file=whole,
        reasons=reasons,
        judged_at_timestamp=at_timestamp,
    )


def _check_timestamp(embedded: Any, context: Any) -> SignatureResult:
    """A document timestamp (PAdES B-LTA's archive timestamp): the bytes it covers are intact and
    the time-stamping authority's certificate leads to a trusted root."""
    from pyhanko.sign.validation import validate_pdf_timestamp
    from pyhanko.sign.validation.errors import SignatureValidationError

    try:
        cert = embedded.signer_cert
    except Exception:  # reported below as an unreadable timestamp
        cert = None
    base = _base(embedded, cert)
    try:
        status = validate_pdf_timestamp(embedded, validation_context=context)
    except (SignatureValidationError, ValueError, TypeError, KeyError) as exc:
        status, error = None, str(exc)
    else:
        error = ""
    intact = bool(status is not None and status.intact and status.valid)
    trusted = bool(status is not None and status.trusted)
    reasons: list[str] = []
    if status is None:
        reasons.append(_("The document timestamp cannot be read: %(error)s") % {"error": error})
    elif not intact:
        reasons.append(_("The file was changed after its document timestamp."))
    elif not trusted:
        reasons.append(_("The document timestamp's authority does not lead to a trusted root."))
    when = status.timestamp if status is not None else None
    return SignatureResult(
        **base,
        verdict=Verdict.INVALID if not intact else (Verdict.VALID if trusted else Verdict.UNKNOWN),
        signing_time=_iso(when),
        timestamp_time=_iso(when),
        intact=intact,
        trusted=trusted,
        revoked=False,
        permitted_changes=None,
        covers_whole_file=False,
        reasons=reasons,
        is_document_timestamp=True,
    )


def _summary(verdict: str, results: list[SignatureResult]) -> str:
    if verdict == Verdict.UNSIGNED:
        return _("The file carries no digital signature.")
    names = ", ".join(r.signer for r in results if r.signer and not r.is_document_timestamp)
    if verdict == Verdict.VALID:
        return _("Signed by %(names)s; unchanged since signing; certificates trusted.") % {"names": names}
    reasons = [reason for r in results if r.verdict != Verdict.VALID for reason in r.reasons]
    return " ".join(dict.fromkeys(reasons))[:1000]


def validate_pdf(
    data: bytes, *, at: dt.datetime | None = None, material: Material | None = None, roots_hash: str = ""
) -> FileResult:
    """Check every signature of ``data`` (now, or as of ``at``). A file that is not a readable
    PDF gives the verdict ``unreadable`` with the reason, not an exception. A batch passes the
    ``material`` and ``roots_hash`` it read once."""
    roots_hash = roots_hash or trust_hash()
    try:
        reader = read_pdf(data)
    except SignatureError as exc:
        return FileResult(Verdict.UNREADABLE, str(exc), [], roots_hash)
    material = (material or Material.load()).with_dss(reader)
    context = material.context(at=at)
    results = [
        _check_timestamp(sig, context)
        if sig.sig_object_type == "/DocTimeStamp"
        else _check_one(sig, material, context)
        for sig in reader.embedded_signatures
    ]
    if not results:
        verdict: str = Verdict.UNSIGNED
    elif any(r.verdict == Verdict.INVALID for r in results):
        verdict = Verdict.INVALID
    elif all(r.verdict == Verdict.VALID for r in results):
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNKNOWN
    return FileResult(verdict, _summary(verdict, results), results, roots_hash)
