"""Signatures made on the signer's own device (token and vendor software on their computer):
the server prepares the PDF and keeps it here, with the digest the device must sign, until the
device sends the CMS signature back (:mod:`egov.signatures.remote`). Imported at the end of
``models.py``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreparedSignature(models.Model):
    """A PDF waiting for a signature from the signer's device: its bytes with the signature's
    placeholder, the byte-range digest (SHA-256) the device signs, and, once completed, the
    signed bytes (so completing twice gives the same file). Expires after 30 minutes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.ForeignKey("signatures.SigningKey", on_delete=models.PROTECT, related_name="+")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Who stores the result: "<kind>:<reference>", the kind naming a registered completion handler.
    target = models.CharField(_("signed object"), max_length=100)
    field_name = models.CharField(max_length=100)
    source_sha256 = models.CharField(max_length=64)
    prepared_pdf = models.BinaryField()
    digest = models.CharField(_("digest (SHA-256, base64)"), max_length=64)
    reserved_start = models.PositiveBigIntegerField()
    reserved_end = models.PositiveBigIntegerField()
    timestamp = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "signatures"
        verbose_name = _("signature awaited from the signer's device")
        verbose_name_plural = _("signatures awaited from the signers' devices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="signatures_prepared_exp_idx")]

    def __str__(self) -> str:
        return f"{self.target} · {self.field_name}"
