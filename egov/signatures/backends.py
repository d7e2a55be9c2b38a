"""Keys outside a file: a PKCS#11 token or HSM, and a remote signing service speaking the
Cloud Signature Consortium API v1 (how Vietnamese "ký số từ xa" providers work).

Both give a pyHanko ``Signer``; both read their secret (the token's PIN, the remote service's
token or PIN) through :func:`egov.signatures.keys.secret_of`, never from the database.

- PKCS#11: ``config = {"module": "/usr/lib/softhsm/libsofthsm2.so", "token_label": …,
  "key_label": …, "cert_label": …}``; the secret is the user PIN. A session is opened for one
  signature and closed right after it.
- CSC: ``config = {"service_url": "https://…", "credential_id": …}``; the secret is either a
  bearer token, or ``pin:<PIN>`` when the service authorises a signature with the credential's
  PIN (``credentials/authorize``), or ``token:<bearer>;pin:<PIN>`` for both."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError
from egov.signatures.keys import secret_of
from egov.signatures.models import SigningKey

# ---------------------------------------------------------------- what the operator allows


def pkcs11_modules() -> list[str]:
    """The token libraries the operator allows (setting ``EGOV_PKCS11_MODULES``): a unit
    administrator picks one, never types a path — a library is code the server loads.
    Default: SoftHSM2 when installed."""
    configured = getattr(settings, "EGOV_PKCS11_MODULES", None)
    if configured is not None:
        return [str(m) for m in configured]
    softhsm = "/usr/lib/softhsm/libsofthsm2.so"
    return [softhsm] if Path(softhsm).exists() else []


def csc_services() -> list[str]:
    """The remote signing services the operator allows (setting ``EGOV_CSC_SERVICES``, base
    URLs): the server calls only these, never an address typed on a page."""
    return [str(u).rstrip("/") for u in getattr(settings, "EGOV_CSC_SERVICES", [])]


# ---------------------------------------------------------------- PKCS#11 (token, HSM)


@dataclass(frozen=True)
class Pkcs11Config:
    module: str
    token_label: str
    key_label: str
    cert_label: str

    @classmethod
    def of(cls, config: dict[str, Any]) -> Pkcs11Config:
        module = str(config.get("module") or "")
        token = str(config.get("token_label") or "")
        key_label = str(config.get("key_label") or "")
        if not module or not token or not key_label:
            raise SignatureError(_("The token settings need the module, the token label and the key label."))
        return cls(module, token, key_label, str(config.get("cert_label") or key_label))


def _pkcs11_open(cfg: Pkcs11Config, pin: bytes | None) -> Any:
    from pkcs11.exceptions import PKCS11Error as LibError
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    try:
        return open_pkcs11_session(
            cfg.module,
            token_criteria=TokenCriteria(label=cfg.token_label),
            user_pin=pin.decode() if pin is not None else None,
        )
    except (SigningError, LibError, OSError, RuntimeError) as exc:
        name = type(exc).__name__
        if name == "PinIncorrect":
            raise SignatureError(_("The token refused the PIN."), field="pin") from exc
        raise SignatureError(
            _("The token “%(token)s” cannot be opened (%(reason)s).")
            % {"token": cfg.token_label, "reason": str(exc) or name}
        ) from exc


def _pkcs11_signer_class() -> type:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    class OneShotPkcs11Signer(PKCS11Signer):
        """Closes the token session after its one signature."""

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            if dry_run:
                return bytes(await super().async_sign_raw(data, digest_algorithm, dry_run=True))
            try:
                return bytes(await super().async_sign_raw(data, digest_algorithm))
            finally:
                self.close()

        def _load_other_certs(self) -> set[Any]:
            # Only the issuing chain (CA certificates) travels with the signature, not the
            # other holders' certificates an HSM may keep.
            return {c for c in super()._load_other_certs() if c.ca}

        def close(self) -> None:
            session, self.pkcs11_session = self.pkcs11_session, None  # type: ignore[assignment]
            if session is not None:
                session.close()

    return OneShotPkcs11Signer


def pkcs11_open_signer(config: dict[str, Any], pin: bytes | None) -> Any:
    """A signer over an open token session (closed after one signature, or by ``close()``)."""
    from pyhanko.sign.general import SigningError

    cfg = Pkcs11Config.of(config)
    session = _pkcs11_open(cfg, pin)
    # The CA certificates on the token travel with the signature: tokens hold the issuing
    # chain next to the signer's certificate, and a checker needs it.
    signer = _pkcs11_signer_class()(
        session, cert_label=cfg.cert_label, key_label=cfg.key_label, other_certs_to_pull=None
    )
    try:
        signer.signing_cert  # noqa: B018 — loads the certificate and the key handle now
    except (SigningError, Exception) as exc:
        signer.close()
        raise SignatureError(
            _("The token holds no key and certificate with the label “%(label)s”.") % {"label": cfg.key_label}
        ) from exc
    return signer


def pkcs11_signer(key: SigningKey) -> Any:
    return pkcs11_open_signer(key.config, secret_of(key))


def pkcs11_certificate(config: dict[str, Any], pin: bytes | None) -> x509.Certificate:
    """The certificate on the token (for registering the key)."""
    signer = pkcs11_open_signer(config, pin)
    try:
        return signer.signing_cert
    finally:
        signer.close()


# ---------------------------------------------------------------- CSC API v1 (remote signing)


@dataclass(frozen=True)
class CscSecret:
    token: str | None = None
    pin: str | None = None

    @classmethod
    def parse(cls, secret: bytes | None) -> CscSecret:
        if not secret:
            return cls()
        text = secret.decode()
        if not any(text.startswith(p) for p in ("pin:", "token:")):
            return cls(token=text)
        parts = dict(part.split(":", 1) for part in text.split(";") if ":" in part)
        return cls(token=parts.get("token") or None, pin=parts.get("pin") or None)


def _csc_session_info(config: dict[str, Any], secret: CscSecret) -> Any:
    from pyhanko.sign.signers.csc_signer import CSCServiceSessionInfo

    url = str(config.get("service_url") or "").rstrip("/")
    credential = str(config.get("credential_id") or "")
    if not url.startswith(("https://", "http://")) or not credential:
        raise SignatureError(_("The remote signing settings need the service address and the credential."))
    return CSCServiceSessionInfo(service_url=url, credential_id=credential, oauth_token=secret.token)


def _csc_failed(exc: Exception) -> SignatureError:
    return SignatureError(
        _("The remote signing service refused or did not answer (%(reason)s).") % {"reason": exc}
    )


async def _fetch_credential(session_info: Any) -> Any:
    import aiohttp
    from pyhanko.sign.signers.csc_signer import fetch_certs_in_csc_credential

    async with aiohttp.ClientSession() as session:
        return await fetch_certs_in_csc_credential(session, session_info, timeout=15)


def csc_credential(config: dict[str, Any], secret: bytes | None) -> Any:
    """The credential's description (certificate, chain) from ``credentials/info``."""
    from pyhanko.sign.general import SigningError

    info = _csc_session_info(config, CscSecret.parse(secret))
    try:
        return asyncio.run(_fetch_credential(info))
    except (SigningError, OSError) as exc:
        raise _csc_failed(exc) from exc


def _csc_classes() -> tuple[type, type]:
    import aiohttp
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.signers.csc_signer import CSCAuthorizationManager, CSCSigner

    class PinAuthorizationManager(CSCAuthorizationManager):
        """Asks ``credentials/authorize`` for the activation data of exactly these hashes."""

        def __init__(self, session_info: Any, credential_info: Any, pin: str | None) -> None:
            super().__init__(session_info, credential_info)
            self.pin = pin

        async def authorize_signature(self, hash_b64s: list[str]) -> Any:
            body = self.format_csc_auth_request(pin=self.pin, hash_b64s=hash_b64s)
            url = self.csc_session_info.endpoint_url("credentials/authorize")  # type: ignore[no-untyped-call]
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.post(
                        url,
                        headers=self.auth_headers,
                        json=body,
                        raise_for_status=True,
                        timeout=aiohttp.ClientTimeout(total=30),
                    ) as response,
                ):
                    data = await response.json()
            except aiohttp.ClientError as exc:
                raise SigningError("Authorisation request failed") from exc
            return self.parse_csc_auth_response(data)

    class SessionPerSignatureCscSigner(CSCSigner):
        """Opens its HTTP session inside pyHanko's event loop, for one signature."""

        def __init__(self, auth_manager: Any) -> None:
            # The root is the checker's own trust anchor: not embedded, to keep the signature small.
            super().__init__(
                session=None,  # type: ignore[arg-type]
                auth_manager=auth_manager,
                sign_timeout=60,
                embed_roots=False,
            )

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            if dry_run:
                return bytes(await super().async_sign_raw(data, digest_algorithm, dry_run=True))
            async with aiohttp.ClientSession() as session:
                self.session = session
                try:
                    return bytes(await super().async_sign_raw(data, digest_algorithm))
                finally:
                    self.session = None  # type: ignore[assignment]

    return PinAuthorizationManager, SessionPerSignatureCscSigner


def csc_signer(key: SigningKey) -> Any:
    secret = CscSecret.parse(secret_of(key))
    session_info = _csc_session_info(key.config, secret)
    credential = csc_credential(key.config, secret_of(key))
    manager_class, signer_class = _csc_classes()
    return signer_class(manager_class(session_info, credential, secret.pin))
