"""Notifications to applicants and the history of every attempt to deliver them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

validate_kind = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*\Z",
    _("Use lower-case letters, digits, dots, dashes and underscores, e.g. “dossier.received”."),
)


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    # Waiting for its first attempt, or an attempt is in progress.
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    # With ``next_attempt_at`` set: retried at that time. Without: never retried (the address
    # was invalid, or the gateway refused it for good).
    FAILED = "failed", _("failed")
    GAVE_UP = "gave_up", _("gave up")


class Notification(models.Model):
    """A notice to an applicant (thông báo cho người nộp hồ sơ), e.g. “your dossier was received”.

    ``related_type``/``related_id`` name the object it is about (``"dossiers.dossier"``, ``"42"``)
    so any app can show the history of its objects without a foreign key into this app."""

    kind = models.CharField(_("kind"), max_length=64, validators=[validate_kind])
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    related_type = models.CharField(_("about (type)"), max_length=100, blank=True)
    related_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["related_type", "related_id", "created_at"], name="notif_related_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class Delivery(models.Model):
    """One channel's attempt history for one notification: where it went, how often we tried,
    and what happened. Rows are never deleted; they are the proof that the applicant was told."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel)
    recipient = models.CharField(_("recipient"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_delivery_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=DeliveryChannel.values), name="notif_delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notif_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="notif_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"

    @property
    def will_retry(self) -> bool:
        return self.status == DeliveryStatus.FAILED and self.next_attempt_at is not None


class StaffMessage(models.Model):
    """An in-app message to a member of staff (thông báo nội bộ), e.g. "a document was assigned
    to you": read on their inbox page; an e-mail copy goes through :class:`Notification` when
    they have an address. ``related_type``/``related_id`` name the object it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_messages",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64, validators=[validate_kind])
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    related_type = models.CharField(_("about (type)"), max_length=100, blank=True)
    related_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff message")
        verbose_name_plural = _("staff messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_staff_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"
