"""Writes of the signature app: signing keys, signature images, trust roots, the signing log
and the stored checks. Every change an operator or a signer makes is audited in the same
transaction."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.orgs.models import Unit
from egov.signatures.errors import SignatureError
from egov.signatures.keys import describe_certificate, plain_name, secrets_dir
from egov.signatures.models import (
    KeyBackend,
    RootKind,
    SignatureKind,
    SigningKey,
    SigningRecord,
    TrustRoot,
)


def _owner_scope(unit: Unit | None, user: User | None) -> str:
    if unit is not None:
        return unit.path
    return ""


def _apply_certificate(key: SigningKey, cert: x509.Certificate) -> None:
    fields = describe_certificate(cert)
    key.certificate = cert.dump()
    key.subject = fields["subject"]
    key.issuer = fields["issuer"]
    key.serial = fields["serial"]
    key.not_before = fields["not_before"]
    key.not_after = fields["not_after"]


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


@transaction.atomic
def signing_key_add_pkcs12(
    *,
    unit: Unit | None = None,
    user: User | None = None,
    label: str,
    pkcs12: bytes,
    passphrase: bytes | None,
    is_demo: bool = False,
    by: User | None,
) -> SigningKey:
    """Keep a PKCS#12 key file for an agency or a person: the file goes under the data
    directory (mode 0600), its passphrase into the secrets directory, the certificate into the
    row. A file that cannot be opened with the passphrase is refused."""
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    try:
        _key, cert, _chain = p12.load_key_and_certificates(pkcs12, passphrase)
    except ValueError as exc:
        raise SignatureError(
            _("The key file cannot be opened: it is not PKCS#12 or the passphrase is wrong."), field="pkcs12"
        ) from exc
    if cert is None or _key is None:
        raise SignatureError(_("The key file holds no key and certificate."), field="pkcs12")
    from cryptography.hazmat.primitives.serialization import Encoding

    asn_cert = x509.Certificate.load(cert.public_bytes(Encoding.DER))
    name = f"key-{uuid.uuid4().hex[:16]}"
    relative = Path("keys") / f"{name}.p12"
    _write_private(Path(settings.DATA_DIR) / relative, pkcs12)
    secret_name = ""
    if passphrase:
        secret_name = name
        _write_private(secrets_dir() / secret_name, passphrase)
    key = SigningKey(
        unit=unit,
        user=user,
        label=label,
        backend=KeyBackend.PKCS12,
        config={"path": str(relative)},
        secret_name=secret_name,
        is_demo=is_demo,
    )
    _apply_certificate(key, asn_cert)
    key.full_clean()
    key.save()
    audit_record(
        event=AuditEvent.SIGNING_KEY_ADDED,
        actor=by,
        target=key,
        scope_path=_owner_scope(unit, user),
        after={
            "label": label,
            "backend": key.backend,
            "subject": key.subject,
            "not_after": str(key.not_after),
        },
    )
    return key


@transaction.atomic
def trust_root_add(
    *, certificate: bytes, name: str = "", kind: str = RootKind.OTHER, by: User | None
) -> TrustRoot:
    """Trust a root certificate (DER or PEM). Adding one already there changes nothing."""
    from asn1crypto import pem

    data = certificate
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    try:
        cert = x509.Certificate.load(data)
        cert.native  # noqa: B018 — parses the whole structure
    except ValueError as exc:
        raise SignatureError(_("The file is not an X.509 certificate."), field="certificate") from exc
    fingerprint = hashlib.sha256(data).hexdigest()
    existing = TrustRoot.objects.filter(sha256=fingerprint).first()
    if existing is not None:
        return existing
    root = TrustRoot.objects.create(
        name=(name or plain_name(cert.subject))[:200],
        kind=kind,
        certificate=data,
        sha256=fingerprint,
        subject=plain_name(cert.subject)[:500],
        not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
        added_by=by,
    )
    audit_record(
        event=AuditEvent.TRUST_ROOT_CHANGED,
        actor=by,
        target=root,
        scope_path="",
        after={"sha256": fingerprint},
    )
    return root


def signing_record_add(
    *, kind: SignatureKind, key: SigningKey | None, by: User | None, target: Any, source: bytes, result: bytes
) -> SigningRecord:
    """Log a signature egov made (call inside the caller's transaction, with its audit row)."""
    return SigningRecord.objects.create(
        kind=kind,
        key=key,
        signed_by=by,
        target=f"{target._meta.label}:{target.pk}",
        source_sha256=hashlib.sha256(source).hexdigest(),
        result_sha256=hashlib.sha256(result).hexdigest(),
        signed_at=timezone.now(),
    )


def new_secret() -> bytes:
    return secrets.token_urlsafe(24).encode()
