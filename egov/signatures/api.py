"""The signature API (django-ninja): checks of stored files, the public check of an uploaded
PDF, and the signer's-own-device signing exchange."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["signatures"])
