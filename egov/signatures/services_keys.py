"""Writes of the keys and images pages: registering keys kept on a token, at a remote signing
service or on the signer's own device, checking a key against its agency, retiring keys, and
the handwritten-signature and seal images. Each write is checked first, audited in the same
transaction, and refused whole with a Vietnamese message (:class:`SignatureError`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from asn1crypto import pem, x509
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.orgs.models import Unit
from egov.signatures import backends
from egov.signatures.errors import SignatureError
from egov.signatures.keys import describe_certificate, plain_name, secrets_dir
from egov.signatures.models import ImageKind, KeyBackend, SignatureImage, SigningKey
from egov.signatures.permissions import Action, require
from egov.signatures.services import _apply_certificate, _write_private, signing_key_add_pkcs12

IMAGE_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_PX = (2000, 1000)
SEAL_MAX_PX = (2000, 2000)
SEAL_MM = (Decimal(30), Decimal(45))
SIGNATURE_MM = Decimal(35)


# ---------------------------------------------------------------- the rules on certificates


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def certificate_matches_agency(cert: x509.Certificate, unit: Unit) -> bool:
    """THE rule of a key fitting its agency: the certificate subject's organisation (O) or
    common name (CN) contains the agency's name, compared in Unicode NFC and ignoring case."""
    name = _fold(unit.name)
    if not name:
        return False
    subject = cert.subject.native
    candidates = [subject.get("organization_name"), subject.get("common_name")]
    values = [v for c in candidates for v in (c if isinstance(c, list) else [c]) if isinstance(v, str)]
    return any(name in _fold(value) for value in values)


def check_certificate(cert: x509.Certificate, *, unit: Unit | None) -> None:
    """Refuse a certificate that has expired, is not yet valid, or does not fit the agency."""
    fields = describe_certificate(cert)
    now = timezone.now()
    if fields["not_after"] <= now:
        raise SignatureError(
            _("The certificate expired on %(date)s; a key with an expired certificate cannot be added.")
            % {"date": timezone.localtime(fields["not_after"]).strftime("%d/%m/%Y")},
            field="certificate",
        )
    if fields["not_before"] > now:
        raise SignatureError(
            _("The certificate is valid only from %(date)s.")
            % {"date": timezone.localtime(fields["not_before"]).strftime("%d/%m/%Y")},
            field="certificate",
        )
    if unit is not None and not certificate_matches_agency(cert, unit):
        raise SignatureError(
            _(
                "The certificate was issued to “%(subject)s”, not to “%(agency)s”: the organisation "
                "or the common name of the certificate must contain the agency's name."
            )
            % {"subject": fields["subject"], "agency": unit.name},
            field="certificate",
        )


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from DER or PEM bytes (a .cer or .pem file)."""
    if pem.detect(data):
        try:
            _type, _headers, data = pem.unarmor(data)
        except ValueError as exc:
            raise SignatureError(_("The file is not an X.509 certificate."), field="certificate") from exc
    try:
        cert = x509.Certificate.load(data)
        cert.native  # noqa: B018 — parses the whole structure
    except (ValueError, TypeError) as exc:
        raise SignatureError(_("The file is not an X.509 certificate."), field="certificate") from exc
    return cert


# ---------------------------------------------------------------- registering keys


def _owner(unit: Unit | None, user: User | None) -> tuple[Unit | None, User | None]:
    if (unit is None) == (user is None):
        raise SignatureError(_("A key belongs either to an agency or to a person."))
    return unit, user


def _require_owner(by: User | None, unit: Unit | None, user: User | None) -> None:
    if by is None:
        return  # the command line and the demo loader act as the operator
    if unit is not None:
        require(by, Action.AGENCY_KEYS, unit)
    elif user is not None and user.pk != by.pk:
        require(by, Action.AGENCY_KEYS, None)  # only the system administrator registers others' keys
    else:
        require(by, Action.OWN_KEYS)


def _secret_for(secret: bytes | None, secret_name: str) -> str:
    """Keep a secret given on the form in a new secrets file; or name an existing one."""
    if secret:
        name = f"key-{uuid.uuid4().hex[:16]}"
        _write_private(secrets_dir() / name, secret)
        return name
    return secret_name


def _save_key(key: SigningKey, cert: x509.Certificate, by: User | None) -> SigningKey:
    _apply_certificate(key, cert)
    key.full_clean()
    key.save()
    audit_record(
        event=AuditEvent.SIGNING_KEY_ADDED,
        actor=by,
        target=key,
        scope_path=key.unit.path if key.unit else "",
        after={
            "label": key.label,
            "backend": key.backend,
            "subject": key.subject,
            "not_after": str(key.not_after),
        },
    )
    return key


def agency_key_add_pkcs12(
    *, unit: Unit, label: str, pkcs12: bytes, passphrase: bytes | None, by: User | None
) -> SigningKey:
    """An agency's key file: opened with the passphrase, its certificate checked (not expired,
    issued to the agency) before anything is written."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    _require_owner(by, unit, None)
    try:
        _key, cert, _chain = p12.load_key_and_certificates(pkcs12, passphrase or None)
    except (ValueError, TypeError) as exc:
        raise SignatureError(
            _("The key file cannot be opened: it is not PKCS#12 or the passphrase is wrong."), field="pkcs12"
        ) from exc
    if cert is None or _key is None:
        raise SignatureError(_("The key file holds no key and certificate."), field="pkcs12")
    check_certificate(x509.Certificate.load(cert.public_bytes(Encoding.DER)), unit=unit)
    return signing_key_add_pkcs12(unit=unit, label=label, pkcs12=pkcs12, passphrase=passphrase or None, by=by)


@transaction.atomic
def signing_key_add_pkcs11(
    *,
    unit: Unit | None = None,
    user: User | None = None,
    label: str,
    module: str,
    token_label: str,
    key_label: str,
    cert_label: str = "",
    pin: bytes | None = None,
    secret_name: str = "",
    by: User | None,
) -> SigningKey:
    """A key on a PKCS#11 token or HSM: the token is opened with the PIN and the certificate
    read from it (and checked) before the row is written. The PIN goes into the secrets
    directory (or ``secret_name`` names one the operator configured)."""
    unit, user = _owner(unit, user)
    _require_owner(by, unit, user)
    if by is not None and module not in backends.pkcs11_modules():
        raise SignatureError(_("This token library is not allowed on this server."), field="module")
    config = {
        "module": module,
        "token_label": token_label,
        "key_label": key_label,
        "cert_label": cert_label or key_label,
    }
    from egov.signatures.keys import secret_of

    probe_pin = pin
    if probe_pin is None and secret_name:
        probe_pin = secret_of(SigningKey(label=label, secret_name=secret_name))
    cert = backends.pkcs11_certificate(config, probe_pin)
    check_certificate(cert, unit=unit)
    key = SigningKey(
        unit=unit,
        user=user,
        label=label,
        backend=KeyBackend.PKCS11,
        config=config,
        secret_name=_secret_for(pin, secret_name),
    )
    return _save_key(key, cert, by)


@transaction.atomic
def signing_key_add_csc(
    *,
    unit: Unit | None = None,
    user: User | None = None,
    label: str,
    service_url: str,
    credential_id: str,
    secret: bytes | None = None,
    secret_name: str = "",
    by: User | None,
) -> SigningKey:
    """A key at a remote signing service (CSC API v1): the credential's certificate is fetched
    from ``credentials/info`` and checked before the row is written."""
    from egov.signatures.keys import secret_of

    unit, user = _owner(unit, user)
    _require_owner(by, unit, user)
    config = {"service_url": service_url.strip().rstrip("/"), "credential_id": credential_id.strip()}
    if by is not None and config["service_url"] not in backends.csc_services():
        raise SignatureError(
            _("This remote signing service is not allowed on this server."), field="service_url"
        )
    probe = secret
    if probe is None and secret_name:
        probe = secret_of(SigningKey(label=label, secret_name=secret_name))
    credential = backends.csc_credential(config, probe)
    cert = credential.signing_cert
    check_certificate(cert, unit=unit)
    key = SigningKey(
        unit=unit,
        user=user,
        label=label,
        backend=KeyBackend.CSC,
        config=config,
        secret_name=_secret_for(secret, secret_name),
    )
    return _save_key(key, cert, by)


@transaction.atomic
def signing_key_add_client(*, user: User, label: str, certificate: bytes, by: User) -> SigningKey:
    """The signer's own device: only the certificate is registered (the key never leaves the
    token); signatures made there are checked against it."""
    _require_owner(by, None, user)
    cert = load_certificate(certificate)
    check_certificate(cert, unit=None)
    key = SigningKey(user=user, label=label or plain_name(cert.subject)[:100], backend=KeyBackend.CLIENT)
    return _save_key(key, cert, by)


@transaction.atomic
def signing_key_retire(*, key: SigningKey, by: User | None) -> SigningKey:
    """Stop using a key (it stays, for the signing log)."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    _require_owner(by, key.unit, key.user)
    if not key.is_active:
        return key
    key.is_active = False
    key.save(update_fields=["is_active"])
    audit_record(
        event=AuditEvent.SIGNING_KEY_CHANGED,
        actor=by,
        target=key,
        scope_path=key.unit.path if key.unit else "",
        before={"is_active": True},
        after={"is_active": False},
    )
    return key


# ---------------------------------------------------------------- images


@dataclass
class ImageResult:
    image: SignatureImage
    warnings: list[str] = field(default_factory=list)


def _open_png(data: bytes, *, max_px: tuple[int, int]) -> Any:
    from PIL import Image, UnidentifiedImageError

    if len(data) > IMAGE_MAX_BYTES:
        raise SignatureError(_("The image is too large (maximum 1 MB)."), field="image")
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SignatureError(_("The image must be a PNG file."), field="image")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise SignatureError(_("The image must be a PNG file."), field="image")
        width, height = image.size
        if width > max_px[0] or height > max_px[1]:
            raise SignatureError(
                _("The image is too big: %(w)s×%(h)s pixels (maximum %(mw)s×%(mh)s).")
                % {"w": width, "h": height, "mw": max_px[0], "mh": max_px[1]},
                field="image",
            )
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise SignatureError(_("The image must be a PNG file."), field="image") from exc
    rgba = image.convert("RGBA")
    lowest_alpha = rgba.getchannel("A").getextrema()[0]
    if not isinstance(lowest_alpha, int) or lowest_alpha > 0:
        raise SignatureError(
            _("The image needs a transparent background: save it as a PNG with transparency."), field="image"
        )
    return rgba


def _ink_colour(rgba: Any) -> tuple[float, float, float] | None:
    """The mean colour of the visible pixels (the ink), or None when nothing is visible."""
    small = rgba.copy()
    small.thumbnail((200, 200))
    pixels: list[tuple[int, int, int, int]] = [
        p for p in getattr(small, "get_flattened_data", small.getdata)() if p[3] >= 128
    ]
    if not pixels:
        return None
    n = len(pixels)
    return (sum(p[0] for p in pixels) / n, sum(p[1] for p in pixels) / n, sum(p[2] for p in pixels) / n)


def _store_image(
    *,
    kind: ImageKind,
    unit: Unit | None,
    user: User | None,
    data: bytes,
    rgba: Any,
    width_mm: Decimal,
    by: User,
) -> SignatureImage:
    digest = hashlib.sha256(data).hexdigest()
    row = SignatureImage(
        unit=unit,
        user=user,
        kind=kind,
        sha256=digest,
        width_px=rgba.size[0],
        height_px=rgba.size[1],
        width_mm=width_mm,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    row.image.save(f"{kind}-{digest[:16]}.png", ContentFile(data), save=False)
    row.save()
    audit_record(
        event=AuditEvent.SIGNATURE_IMAGE_SET,
        actor=by,
        target=row,
        scope_path=unit.path if unit else "",
        after={"kind": str(kind), "sha256": digest, "width_mm": str(width_mm)},
    )
    return row


@transaction.atomic
def signature_image_set(*, user: User, data: bytes, by: User) -> ImageResult:
    """A person's handwritten-signature image: PNG with a transparent background, at most 1 MB
    and 2000×1000 pixels. Ink that is not blue is accepted with a warning."""
    _require_owner(by, None, user)
    if user.pk != by.pk:
        raise SignatureError(_("You may upload only your own signature image."))
    rgba = _open_png(data, max_px=SIGNATURE_MAX_PX)
    warnings = []
    ink = _ink_colour(rgba)
    if ink is None:
        raise SignatureError(_("The image is empty: nothing is drawn on it."), field="image")
    red, green, blue = ink
    if not (blue > red + 20 and blue > green):
        warnings.append(_("The signature does not look blue; official documents are signed in blue ink."))
    return ImageResult(
        _store_image(
            kind=ImageKind.SIGNATURE, unit=None, user=user, data=data, rgba=rgba, width_mm=SIGNATURE_MM, by=by
        ),
        warnings,
    )


@transaction.atomic
def seal_image_set(*, unit: Unit, data: bytes, width_mm: Decimal, by: User) -> ImageResult:
    """An agency's seal image (red, transparent PNG) and its real printed width, 30–45 mm."""
    require(by, Action.AGENCY_SEAL, unit)
    if not SEAL_MM[0] <= width_mm <= SEAL_MM[1]:
        raise SignatureError(_("The seal's real width must be between 30 and 45 mm."), field="width_mm")
    rgba = _open_png(data, max_px=SEAL_MAX_PX)
    warnings = []
    ink = _ink_colour(rgba)
    if ink is None:
        raise SignatureError(_("The image is empty: nothing is drawn on it."), field="image")
    red, green, blue = ink
    if not (red > green + 20 and red > blue + 20):
        warnings.append(_("The seal does not look red; a seal is printed in red."))
    return ImageResult(
        _store_image(
            kind=ImageKind.SEAL, unit=unit, user=None, data=data, rgba=rgba, width_mm=width_mm, by=by
        ),
        warnings,
    )


# ---------------------------------------------------------------- expiry warnings

# Days before a certificate's end at which its holders are warned, once per key and threshold.
EXPIRY_THRESHOLDS = (30, 7)


def _expiry_recipients(key: SigningKey) -> list[User]:
    """An agency's key: the agency's unit administrators (at the agency or above it); a
    person's key: the person."""
    from egov.accounts.models import Role, RoleAssignment
    from egov.orgs.models import path_prefixes

    if key.user is not None:
        return [key.user] if key.user.is_active else []
    assert key.unit is not None
    holders = (
        RoleAssignment.objects.active()
        .filter(role=Role.UNIT_ADMIN, unit__path__in=path_prefixes(key.unit.path), user__is_active=True)
        .select_related("user")
    )
    return list({a.user.pk: a.user for a in holders}.values())


def keys_expiry_warn(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Warn the holders of keys in use whose certificate ends within 30 (then 7) days: one
    in-app message (and e-mail copy) per key and threshold. The key's row is locked while
    checking whether it was warned, so two schedulers never warn twice. Returns the number
    of keys warned."""
    from django.urls import reverse

    from egov.notifications.models import StaffMessage
    from egov.notifications.services import staff_message_send

    now = now or timezone.now()
    warned = 0
    horizon = now + dt.timedelta(days=max(EXPIRY_THRESHOLDS))
    candidates = SigningKey.objects.filter(is_active=True, not_after__gt=now, not_after__lte=horizon)
    for pk in list(candidates.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            key = SigningKey.objects.select_for_update(of=("self",)).select_related("unit", "user").get(pk=pk)
            assert key.not_after is not None
            days_left = (key.not_after - now).days
            threshold = min(t for t in EXPIRY_THRESHOLDS if key.not_after <= now + dt.timedelta(days=t))
            kind = f"signatures.key_expiring_{threshold}"
            if StaffMessage.objects.filter(
                kind=kind, related_type="signatures.signingkey", related_id=str(pk)
            ).exists():
                continue
            link = (
                reverse("signatures:agency_keys", kwargs={"unit_pk": key.unit.pk})
                if key.unit is not None
                else reverse("signatures:mine")
            )
            subject = _("The certificate of the signing key “%(key)s” expires on %(date)s") % {
                "key": key.label,
                "date": timezone.localtime(key.not_after).strftime("%d/%m/%Y"),
            }
            body = _(
                "%(days)s days are left. Ask the certificate authority for a new certificate and add "
                "the new key before then, or documents cannot be signed with it."
            ) % {"days": days_left}
            for person in _expiry_recipients(key):
                staff_message_send(
                    recipient=person, kind=kind, subject=subject, body=body, link=link, related=key
                )
            warned += 1
    return warned
