"""Keys outside a file: a PKCS#11 token or HSM, and a remote signing service speaking the
Cloud Signature Consortium API (how Vietnamese "ký số từ xa" providers work)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError
from egov.signatures.models import SigningKey


def pkcs11_signer(key: SigningKey) -> Any:
    raise SignatureError(_("Signing with a token (PKCS#11) is not set up on this server."))


def csc_signer(key: SigningKey) -> Any:
    raise SignatureError(_("Signing with a remote signing service is not set up on this server."))
