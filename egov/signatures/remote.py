"""Signing on the signer's own device (a USB token and the vendor's signing software on their
computer): pyHanko's interrupted signing.

1. :func:`prepare` adds the signature field (and its image) to the PDF as an incremental
   update, reserves room for the signature, computes the SHA-256 digest of the byte ranges,
   keeps the prepared bytes in a :class:`PreparedSignature` for 30 minutes and returns the
   digest.
2. The device makes a detached CMS (PKCS#7) signature whose signed attributes carry that
   digest as ``messageDigest`` (what every vendor plugin's "sign hash" does) and the client
   posts it back.
3. :func:`complete` checks the CMS — made with the certificate registered for the key, over
   exactly this digest, the signature itself intact — adds a timestamp from the configured
   authority, embeds it (``PdfTBSDocument.finish_signing``) and hands the signed bytes to the
   handler of the app that owns the file (:func:`register_completion`). Completing twice
   returns the same bytes."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import cms as asn1_cms
from asn1crypto import x509
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.signatures.errors import SignatureError
from egov.signatures.keys import certificate_of, check_usable
from egov.signatures.models import KeyBackend, SigningKey
from egov.signatures.models_remote import PreparedSignature
from egov.signatures.pdf import read_pdf
from egov.signatures.signing import Appearance, Box, _style, tsa_url, writer_with_field

EXPIRY = dt.timedelta(minutes=30)
ALGORITHM = "sha256"
# Hex characters reserved for the device's CMS (its certificate chain included) and the
# timestamp token added here.
RESERVED = 32768

Handler = Callable[[PreparedSignature, bytes], None]
_HANDLERS: dict[str, Handler] = {}


def register_completion(kind: str, handler: Handler) -> None:
    """``handler(prepared, signed_bytes)`` stores the signed file of targets ``"<kind>:…"``, in
    the transaction of :func:`complete` (raise :class:`SignatureError` to refuse)."""
    _HANDLERS[kind] = handler


def _kind(target: str) -> str:
    return target.split(":", 1)[0]


@dataclass(frozen=True)
class Prepared:
    """What the client needs to sign: the digest (base64) of the byte ranges, its algorithm,
    the certificate expected, and until when the server waits."""

    id: str
    digest: str
    algorithm: str
    certificate: bytes
    expires_at: dt.datetime

    @classmethod
    def of(cls, row: PreparedSignature) -> Prepared:
        return cls(
            id=str(row.pk),
            digest=row.digest,
            algorithm=ALGORITHM,
            certificate=bytes(row.key.certificate or b""),
            expires_at=row.expires_at,
        )


def prepare(
    *,
    data: bytes,
    key: SigningKey,
    field_name: str,
    box: Box | None = None,
    appearance: Appearance | None = None,
    reason: str = "",
    by: User,
    target: str,
) -> Prepared:
    """Prepare ``data`` for a signature made on ``key``'s device (backend ``client``); nothing
    of the owner's file changes until :func:`complete`."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_cms import ExternalSigner

    if key.backend != KeyBackend.CLIENT:
        raise SignatureError(_("This key is not on the signer's own device."))
    if key.user_id != by.pk:
        raise SignatureError(_("Only the holder of the key may sign with it."))
    if _kind(target) not in _HANDLERS:
        raise SignatureError(_("Nothing can store a signature of this kind."))
    check_usable(key)
    cert = certificate_of(key)
    reader = read_pdf(data)
    if field_name in {s.field_name for s in reader.embedded_signatures}:
        raise SignatureError(_("The document already carries this signature."))
    writer = writer_with_field(data, field_name=field_name, box=box)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        md_algorithm=ALGORITHM,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=ExternalSigner(signing_cert=cert, cert_registry=None),
        stamp_style=_style(appearance) if appearance else None,
    )
    try:
        digest, _tbs, output = asyncio.run(
            pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=RESERVED)
        )
    except SigningError as exc:
        raise SignatureError(_("The document could not be signed: %(reason)s") % {"reason": exc}) from exc
    row = PreparedSignature.objects.create(
        key=key,
        prepared_by=by,
        target=target,
        field_name=field_name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        prepared_pdf=output.getvalue(),  # type: ignore[attr-defined]
        digest=base64.b64encode(digest.document_digest).decode(),
        reserved_start=digest.reserved_region_start,
        reserved_end=digest.reserved_region_end,
        timestamp=bool(tsa_url()),
        expires_at=timezone.now() + EXPIRY,
    )
    return Prepared.of(row)


def prepared_for(*, prepared_id: str, by: User) -> PreparedSignature:
    """The prepared signature, for the user who prepared it only (else: not found)."""
    try:
        return PreparedSignature.objects.select_related("key").get(pk=prepared_id, prepared_by=by)
    except (PreparedSignature.DoesNotExist, ValueError, ValidationError) as exc:
        raise SignatureError(_("This signing request does not exist or is not yours.")) from exc


def _signer_info(content: asn1_cms.ContentInfo) -> tuple[asn1_cms.SignedData, asn1_cms.SignerInfo]:
    if content["content_type"].native != "signed_data":
        raise ValueError("not signed data")
    signed: asn1_cms.SignedData = content["content"]
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise ValueError("one signer expected")
    return signed, infos[0]


def _identifies(sid: asn1_cms.SignerIdentifier, cert: x509.Certificate) -> bool:
    if sid.name == "issuer_and_serial_number":
        return bool(
            cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native
        )
    return bool(cert.key_identifier == sid.chosen.native)


def _signer_certificate(signed: asn1_cms.SignedData, info: asn1_cms.SignerInfo) -> x509.Certificate | None:
    for choice in signed["certificates"] or []:
        if choice.name == "certificate" and _identifies(info["sid"], choice.chosen):
            return choice.chosen
    return None


def _with_certificate(content: asn1_cms.ContentInfo, cert: x509.Certificate) -> asn1_cms.ContentInfo:
    """Some vendor software sends the signer info without the certificate: the registered one
    is added (the certificate set is outside what the signature covers), so a checker finds it."""
    signed = content["content"]
    present = list(signed["certificates"]) if signed["certificates"].native else []
    signed["certificates"] = asn1_cms.CertificateSet(
        [*present, asn1_cms.CertificateChoices("certificate", cert)]
    )
    return asn1_cms.ContentInfo.load(content.dump(force=True))


def check_cms(*, row: PreparedSignature, data: bytes) -> asn1_cms.ContentInfo:
    """Refuse a CMS that is not a signature of this digest by this key's certificate."""
    from pyhanko.sign.general import (
        MultivaluedAttributeError,
        NonexistentAttributeError,
        find_unique_cms_attribute,
    )
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    try:
        content = asn1_cms.ContentInfo.load(data)
        signed, info = _signer_info(content)
        content.native  # noqa: B018 — parses the whole structure
    except (ValueError, TypeError, KeyError) as exc:
        raise SignatureError(_("What was sent back is not a CMS (PKCS#7) signature."), field="cms") from exc
    cert = _signer_certificate(signed, info)
    expected = certificate_of(row.key)
    if cert is None and _identifies(info["sid"], expected):
        content = _with_certificate(content, expected)
        signed, info = _signer_info(content)
        cert = expected
    if cert is None or cert.dump() != expected.dump():
        raise SignatureError(
            _("The signature was made with another certificate than the one registered for “%(key)s”.")
            % {"key": row.key.label},
            field="cms",
        )
    digest = base64.b64decode(row.digest)
    try:
        message_digest = find_unique_cms_attribute(info["signed_attrs"], "message_digest").native
    except (NonexistentAttributeError, MultivaluedAttributeError) as exc:
        raise SignatureError(_("The signature carries no message digest."), field="cms") from exc
    if message_digest != digest or info["digest_algorithm"]["algorithm"].native != ALGORITHM:
        raise SignatureError(
            _(
                "The signature sent back is for another version of the document: it does not sign "
                "the digest prepared for this one. Sign again from the page."
            ),
            field="cms",
        )
    intact, valid = validate_sig_integrity(info, cert, expected_content_type="data", actual_digest=digest)
    if not (intact and valid):
        raise SignatureError(_("The signature does not verify with the certificate."), field="cms")
    return content


def _with_timestamp(content: asn1_cms.ContentInfo) -> asn1_cms.ContentInfo:
    """The CMS with a signature timestamp (PAdES B-T) from the configured authority."""
    import asyncio

    from pyhanko.sign import timestamps
    from pyhanko.sign.attributes import TSTProvider

    info = content["content"]["signer_infos"][0]
    provider = TSTProvider(
        digest_algorithm=ALGORITHM,
        data_to_ts=info["signature"].native,
        timestamper=timestamps.HTTPTimeStamper(tsa_url(), timeout=15),
    )
    try:
        attribute = asyncio.run(provider.get_attribute())
    except OSError as exc:
        raise SignatureError(
            _("The time-stamping authority did not answer; try again in a moment."), field="cms"
        ) from exc
    unsigned = list(info["unsigned_attrs"]) if info["unsigned_attrs"].native else []
    info["unsigned_attrs"] = asn1_cms.CMSAttributes([*unsigned, attribute])
    return asn1_cms.ContentInfo.load(content.dump(force=True))


@transaction.atomic
def complete(*, prepared_id: str, cms: bytes, by: User) -> bytes:
    """Embed the device's CMS into the prepared PDF and hand the result to the owner's
    handler; return the signed bytes. Refused (nothing stored) when the CMS is not this
    key's signature of this digest, or the request expired."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    row = prepared_for(prepared_id=prepared_id, by=by)
    row = PreparedSignature.objects.select_for_update().select_related("key").get(pk=row.pk)
    if row.result is not None:
        return bytes(row.result)
    if row.expires_at <= timezone.now():
        raise SignatureError(_("This signing request expired (30 minutes); sign again from the page."))
    content = check_cms(row=row, data=cms)
    if row.timestamp and tsa_url():
        content = _with_timestamp(content)
    output = io.BytesIO(bytes(row.prepared_pdf))
    digest = PreparedByteRangeDigest(
        document_digest=base64.b64decode(row.digest),
        reserved_region_start=row.reserved_start,
        reserved_region_end=row.reserved_end,
    )
    try:
        PdfTBSDocument.finish_signing(output, digest, content)
    except SigningError as exc:
        raise SignatureError(
            _("The signature does not fit in the document: %(reason)s") % {"reason": exc}
        ) from exc
    signed = output.getvalue()
    row.result = signed
    row.result_sha256 = hashlib.sha256(signed).hexdigest()
    row.completed_at = timezone.now()
    row.save(update_fields=["result", "result_sha256", "completed_at"])
    handler = _HANDLERS.get(_kind(row.target))
    if handler is None:
        raise SignatureError(_("Nothing can store a signature of this kind."))
    handler(row, signed)
    audit_record(
        event=AuditEvent.DOCUMENT_SIGNED,
        actor=by,
        target=row,
        scope_path="",
        after={
            "target": row.target,
            "key": row.key_id,
            "source": row.source_sha256,
            "result": row.result_sha256,
        },
    )
    return signed


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Forget prepared signatures that expired without being completed (the periodic jobs)."""
    deleted, _rows = PreparedSignature.objects.filter(
        expires_at__lte=now or timezone.now(), completed_at__isnull=True
    ).delete()
    return deleted


def not_base64_message() -> str:
    return _("The signature must be sent as base64 text.")
