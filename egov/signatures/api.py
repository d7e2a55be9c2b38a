"""The signature API (django-ninja): checks of stored files, the public check of an uploaded
PDF, and the signer's-own-device signing exchange."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["signatures"])

# The signer's own device: the signing exchange (egov/signatures/api_keys.py).
from egov.signatures.api_keys import router as _keys_router  # noqa: E402

router.add_router("", _keys_router)
