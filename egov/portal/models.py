"""The citizen portal (cổng dịch vụ công): accounts' saved details, verification codes,
application drafts, satisfaction ratings, and feedback (phản ánh, kiến nghị)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ApplicantType as ApplicantKind


class CitizenProfile(models.Model):
    """A citizen's or business's saved details (thông tin người nộp) that prefill applications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen_profile"
    )
    applicant_kind = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    full_name = models.CharField(_("full name or business name"), max_length=255)
    id_number = models.CharField(_("ID card / registration number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return self.full_name


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("Confirm a new account")
    RESET = "reset", _("Reset the password")


class VerificationCode(models.Model):
    """A 6-digit one-time code (mã xác thực) sent by SMS or e-mail. Only its keyed hash is
    stored; a few wrong tries or a quarter of an hour make it useless."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    recipient = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "used_at"], name="portal_code_user_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.recipient}"


class PortalDraft(models.Model):
    """An application being filled in online (hồ sơ nháp). Stored on the server so it can be
    resumed on another device; it expires when untouched for EGOV_PORTAL_DRAFT_DAYS days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_drafts")
    version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+")
    # The dossier's intake token: however often the final step is posted, one dossier results.
    token = models.CharField(max_length=40, unique=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.version_id} {self.updated_at:%Y-%m-%d}"

    @property
    def expires_at(self) -> dt.datetime:
        return self.updated_at + dt.timedelta(days=settings.EGOV_PORTAL_DRAFT_DAYS)

    @property
    def is_expired(self) -> bool:
        return self.dossier_id is None and self.expires_at <= timezone.now()


class DraftFile(models.Model):
    """A file uploaded for one required paper of a draft, checked by content, with its SHA-256."""

    draft = models.ForeignKey(PortalDraft, on_delete=models.CASCADE, related_name="files")
    paper = models.ForeignKey("catalog.RequiredPaper", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="portal/drafts/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "paper", "created_at"]

    def __str__(self) -> str:
        return self.name


class RatingScore(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


SATISFIED_SCORES = frozenset({RatingScore.VERY_SATISFIED, RatingScore.SATISFIED})


class Rating(models.Model):
    """The applicant's satisfaction with a finished dossier (đánh giá mức độ hài lòng); one per dossier."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="rating")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.CharField(_("how satisfied are you?"), max_length=20, choices=RatingScore.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.score}"


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback or complaint (phản ánh)")
    RECOMMENDATION = "recommendation", _("Recommendation (kiến nghị)")


class FeedbackAbout(models.TextChoices):
    PROCEDURE = "procedure", _("A procedure")
    DOSSIER = "dossier", _("One of my dossiers")
    OFFICER = "officer", _("An officer's conduct")


class Feedback(models.Model):
    """Feedback or a recommendation from a citizen (phản ánh, kiến nghị) and the agency's answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    about = models.CharField(_("about"), max_length=20, choices=FeedbackAbout.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_name = models.CharField(_("officer"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("content"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
