"""Digital signatures (chữ ký số): where the signing keys are, the images that make a signature
visible, the trust roots a signature is checked against, the revocation data fetched for the
check, the stored result of every check, and the log of every signature egov made.

The app signs and checks bytes; the apps that own the files (documents, dossiers) store the
signed bytes as their own new, immutable versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KeyBackend(models.TextChoices):
    """Where a signing key is kept."""

    PKCS12 = "pkcs12", _("Key file (PKCS#12)")
    PKCS11 = "pkcs11", _("Token or HSM (PKCS#11)")
    CSC = "csc", _("Remote signing service (CSC API)")
    CLIENT = "client", _("The signer's own device (token and vendor software)")


class SigningKey(models.Model):
    """A signing key (khóa ký số) of an agency — its official signature, applied by the clerk —
    or of a person. The private key never enters the database: ``config`` says where it is (a
    file under the data directory, a token slot and label, a remote service and credential)
    and ``secret_name`` names the secret that opens it (read from the environment or the
    secrets directory). The certificate is kept so expiry and the agency can be checked
    without touching the key."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="signing_keys"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="signing_keys"
    )
    label = models.CharField(_("name"), max_length=100)
    backend = models.CharField(_("where the key is"), max_length=8, choices=KeyBackend.choices)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    secret_name = models.CharField(_("secret"), max_length=64, blank=True)
    certificate = models.BinaryField(_("certificate (DER)"), null=True, blank=True)
    subject = models.CharField(_("certificate subject"), max_length=500, blank=True)
    issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    not_before = models.DateTimeField(_("valid from"), null=True, blank=True)
    not_after = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo key"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["unit_id", "user_id", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, user__isnull=True) | Q(unit__isnull=True, user__isnull=False),
                name="signatures_key_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ImageKind(models.TextChoices):
    SIGNATURE = "signature", _("Handwritten signature (blue)")
    SEAL = "seal", _("Seal (red)")


class SignatureImage(models.Model):
    """The image that makes a signature visible: a person's handwritten signature (blue,
    transparent PNG) or an agency's seal (red, transparent PNG, printed at its real size).
    Images are immutable; a new upload is a new row and the newest active one is used."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImageKind.choices)
    image = models.FileField(_("image"), upload_to="signatures/images/%Y/")
    sha256 = models.CharField(max_length=64)
    width_px = models.PositiveIntegerField()
    height_px = models.PositiveIntegerField()
    # The printed width: a seal at its real size (Decree 30: 35–40 mm is usual), a signature
    # scaled into the signature block.
    width_mm = models.DecimalField(_("printed width (mm)"), max_digits=5, decimal_places=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("signature image")
        verbose_name_plural = _("signature images")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, user__isnull=True) | Q(unit__isnull=True, user__isnull=False),
                name="signatures_image_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.uploaded_at:%d/%m/%Y})"


class RootKind(models.TextChoices):
    OFFICIAL = "official", _("Official-duty CA (Government Cipher Committee)")
    PUBLIC = "public", _("Public CA")
    DEMO = "demo", _("Demo CA (not for real documents)")
    OTHER = "other", _("Other")


class TrustRoot(models.Model):
    """A root certificate signatures are checked against (chứng thư số gốc tin cậy). Data the
    operator loads, never code: the Government Cipher Committee's roots for official-duty
    certificates, the public CAs' roots, the demo root."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=RootKind.choices)
    certificate = models.BinaryField(_("certificate (DER)"))
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=500)
    not_after = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("trusted"), default=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trust root")
        verbose_name_plural = _("trust roots")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RevocationKind(models.TextChoices):
    CRL = "crl", _("Revocation list (CRL)")
    OCSP = "ocsp", _("OCSP response")


class RevocationData(models.Model):
    """A CRL or OCSP response fetched by the revocation job and kept, so that checking a
    signature never needs the network (government intranets are often offline). ``key`` is the
    CRL's address, or the OCSP responder's address and the certificate's issuer and serial."""

    kind = models.CharField(max_length=4, choices=RevocationKind.choices)
    key = models.CharField(max_length=600, unique=True)
    url = models.CharField(max_length=500)
    data = models.BinaryField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    next_update = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("revocation data")
        verbose_name_plural = _("revocation data")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Verdict(models.TextChoices):
    """The plain-language outcome of checking a file's signatures."""

    PENDING = "pending", _("Being checked")
    VALID = "valid", _("Signatures valid")
    INVALID = "invalid", _("Signature not valid")
    UNKNOWN = "unknown", _("Signature cannot be confirmed")
    UNSIGNED = "unsigned", _("Not signed")
    UNREADABLE = "unreadable", _("Not a readable PDF")


class ValidationReport(models.Model):
    """The stored result of checking the signatures of one file, found by the SHA-256 of its
    bytes (stored files are immutable, so one check serves every copy). ``signatures`` holds one
    entry per signature in document order: who signed, when, with which certificate, whether
    the bytes are intact, the chain trusted, the certificate not revoked, later changes
    permitted, and why not in plain words. ``trust_hash`` records the trust roots the check
    used; when the operator changes them, stale reports are checked again."""

    sha256 = models.CharField(max_length=64, unique=True)
    storage_name = models.CharField(max_length=500, blank=True)
    verdict = models.CharField(_("result"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    summary = models.CharField(_("summary"), max_length=1000, blank=True)
    signatures = models.JSONField(default=list, blank=True)
    trust_hash = models.CharField(max_length=64, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signature check")
        verbose_name_plural = _("signature checks")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["verdict"], name="signatures_report_verdict_idx")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} · {self.verdict}"


class SignatureKind(models.TextChoices):
    PERSON = "person", _("Competent person's signature")
    AGENCY = "agency", _("Agency's signature")
    AGENCY_STAMP = "stamp", _("Agency's signature with a text stamp (attachment, copy)")
    ARCHIVE = "archive", _("Long-term validation data and document timestamp")


class SigningRecord(models.Model):
    """The log of every signature egov put on a file (nhật ký ký số): who, with which key,
    which version went in and which came out."""

    kind = models.CharField(_("kind"), max_length=8, choices=SignatureKind.choices)
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.CharField(_("signed object"), max_length=100)
    source_sha256 = models.CharField(max_length=64)
    result_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signing record")
        verbose_name_plural = _("signing records")
        ordering = ["-signed_at", "-pk"]
        indexes = [models.Index(fields=["source_sha256", "kind"], name="signatures_record_src_idx")]

    def __str__(self) -> str:
        return f"{self.target} · {self.kind}"


from egov.signatures.models_remote import PreparedSignature as PreparedSignature  # noqa: E402
