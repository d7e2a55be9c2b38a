"""From a :class:`SigningKey` row to a pyHanko signer, whatever keeps the key.

Secrets (a PKCS#12 passphrase, a token PIN, a remote service's credentials) never live in the
database: ``SigningKey.secret_name`` names one, read from the environment variable
``EGOV_SIGNING_SECRET_<NAME>`` or else from the file ``<data dir>/secrets/<name>``."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError
from egov.signatures.models import KeyBackend, SigningKey

# Opened PKCS#12 signers of this process, by key, file version and secret.
_OPENED: dict[tuple[int, str, int, str], Any] = {}

SECRET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def secrets_dir() -> Path:
    return Path(settings.DATA_DIR) / "secrets"


def secret_of(key: SigningKey) -> bytes | None:
    """The secret that opens the key, or None when it needs none."""
    name = key.secret_name
    if not name:
        return None
    env = os.environ.get("EGOV_SIGNING_SECRET_" + name.upper().replace("-", "_"))
    if env is not None:
        return env.encode()
    path = secrets_dir() / name
    if path.is_file():
        return path.read_bytes().strip()
    raise SignatureError(
        _("The secret “%(name)s” that opens the key “%(key)s” is not configured on this server.")
        % {"name": name, "key": key.label}
    )


def key_file(key: SigningKey) -> Path:
    """A key file's path: relative paths are under the data directory."""
    path = Path(key.config.get("path", ""))
    return path if path.is_absolute() else Path(settings.DATA_DIR) / path


def certificate_of(key: SigningKey) -> x509.Certificate:
    if not key.certificate:
        raise SignatureError(_("The key “%(key)s” has no certificate.") % {"key": key.label})
    return x509.Certificate.load(bytes(key.certificate))


def check_usable(key: SigningKey, *, at: dt.datetime | None = None) -> None:
    """A key may sign only while it is in use and its certificate is valid."""
    now = at or timezone.now()
    if not key.is_active:
        raise SignatureError(_("The key “%(key)s” is no longer in use.") % {"key": key.label})
    if key.not_after is not None and key.not_after <= now:
        raise SignatureError(
            _("The certificate of the key “%(key)s” expired on %(date)s; ask for a new one.")
            % {"key": key.label, "date": timezone.localtime(key.not_after).strftime("%d/%m/%Y")}
        )
    if key.not_before is not None and key.not_before > now:
        raise SignatureError(
            _("The certificate of the key “%(key)s” is valid only from %(date)s.")
            % {"key": key.label, "date": timezone.localtime(key.not_before).strftime("%d/%m/%Y")}
        )


def plain_name(name: x509.Name) -> str:
    """A certificate name as a person reads it: "Common name, Organisation, Locality, Country"
    (the values only, most specific first), instead of asn1crypto's English-labelled form."""
    native = name.native
    parts: list[str] = []
    for field in ("common_name", "organizational_unit_name", "organization_name", "locality_name",
                  "state_or_province_name", "country_name"):  # fmt: skip
        value = native.get(field)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return ", ".join(parts) or name.human_friendly


def describe_certificate(cert: x509.Certificate) -> dict[str, Any]:
    """The fields egov keeps of a certificate (subject, issuer, serial, validity)."""
    validity = cert["tbs_certificate"]["validity"]
    return {
        "subject": plain_name(cert.subject)[:500],
        "issuer": plain_name(cert.issuer)[:500],
        "serial": format(cert.serial_number, "X")[:80],
        "not_before": validity["not_before"].native,
        "not_after": validity["not_after"].native,
    }


def signer_for(key: SigningKey) -> Any:
    """A pyHanko ``Signer`` for the key. The client backend has none: the signer's own device
    signs (see :mod:`egov.signatures.remote`)."""
    check_usable(key)
    if key.backend == KeyBackend.PKCS12:
        from pyhanko.sign.signers import SimpleSigner

        path = key_file(key)
        if not path.is_file():
            raise SignatureError(
                _("The key file of “%(key)s” is missing on this server.") % {"key": key.label}
            )
        # Opening a PKCS#12 file (the key's consistency check) costs about as much as a signature:
        # a process keeps the opened signer of each key while its file is unchanged.
        cache_key = (key.pk, str(path), path.stat().st_mtime_ns, key.secret_name)
        signer = _OPENED.get(cache_key)
        if signer is None:
            signer = SimpleSigner.load_pkcs12(str(path), passphrase=secret_of(key))  # type: ignore[no-untyped-call]
            if signer is None:
                raise SignatureError(_("The key file of “%(key)s” cannot be opened.") % {"key": key.label})
            if len(_OPENED) >= 64:
                _OPENED.clear()
            _OPENED[cache_key] = signer
        return signer
    if key.backend == KeyBackend.PKCS11:
        from egov.signatures import backends

        return backends.pkcs11_signer(key)
    if key.backend == KeyBackend.CSC:
        from egov.signatures import backends

        return backends.csc_signer(key)
    raise SignatureError(
        _("The key “%(key)s” is on the signer's own device: sign there and send the signature back.")
        % {"key": key.label}
    )
