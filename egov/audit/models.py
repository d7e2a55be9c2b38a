"""The append-only, hash-chained audit trail (nhật ký kiểm tra)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEvent(models.TextChoices):
    """Event names are stable identifiers: reports and external verifiers key on them."""

    USER_CREATED = "user.created", _("User created")
    USER_UPDATED = "user.updated", _("User updated")
    USER_DEACTIVATED = "user.deactivated", _("User deactivated")
    USER_PASSWORD_SET = "user.password_set", _("Password set")
    LOGIN = "auth.login", _("Signed in")
    OTP_ENROLLED = "auth.otp_enrolled", _("Two-factor device enrolled")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role revoked")
    UNIT_CREATED = "unit.created", _("Unit created")
    UNIT_UPDATED = "unit.updated", _("Unit updated")
    UNIT_CLOSED = "unit.closed", _("Unit closed")
    UNITS_IMPORTED = "units.imported", _("Units imported")
    SUCCESSION_RECORDED = "unit.succession_recorded", _("Reorganisation recorded")
    CALENDAR_CHANGED = "calendar.changed", _("Working calendar changed")
    PROCEDURE_DRAFT_SAVED = "procedure.draft_saved", _("Procedure draft saved")
    PROCEDURE_PUBLISHED = "procedure.published", _("Procedure published")
    PROCEDURE_WITHDRAWN = "procedure.withdrawn", _("Procedure withdrawn")
    CATALOGUE_IMPORTED = "catalogue.imported", _("Catalogue imported")
    DOSSIER_RECEIVED = "dossier.received", _("Dossier received")
    DOSSIER_REGISTERED = "dossier.registered", _("Dossier submitted online")
    DOSSIER_REFUSED = "dossier.refused", _("Dossier refused at intake")
    DOSSIER_STEP = "dossier.step", _("Dossier step")
    DOSSIER_PAUSED = "dossier.paused", _("Dossier clock paused")
    DOSSIER_RESUMED = "dossier.resumed", _("Dossier clock resumed")
    DOSSIER_EXTENDED = "dossier.extended", _("Dossier extended")
    DOSSIER_STOPPED = "dossier.stopped", _("Dossier processing stopped")
    DOSSIER_WITHDRAWN = "dossier.withdrawn", _("Dossier withdrawn")
    DOSSIER_DECIDED = "dossier.decided", _("Dossier decided")
    DOSSIER_RETURNED = "dossier.returned", _("Dossier result returned")
    DOSSIER_OVERDUE = "dossier.overdue", _("Dossier overdue")
    DOSSIER_FORM_ISSUED = "dossier.form_issued", _("Dossier form issued")
    DEMO_HISTORY_GENERATED = "demo.history_generated", _("Demo history generated")
    BULK_GENERATED = "bench.dossiers_generated", _("Synthetic dossiers generated")
    PLAN_TARGETS_LOADED = "plans.targets_loaded", _("Plan targets loaded")
    INDEX766_LOADED = "plans.index766_loaded", _("Service index definitions loaded")
    OTP_ENROLMENT_CODE_ISSUED = "auth.otp_enrolment_code_issued", _("Two-factor enrolment code issued")
    OTP_ENROLMENT_CODE_USED = "auth.otp_enrolment_code_used", _("Two-factor enrolment code used")
    DOSSIER_SUPPLEMENT_SUBMITTED = "dossier.supplement_submitted", _("Supplement submitted by the applicant")
    PORTAL_ACCOUNT_VERIFIED = "portal.account_verified", _("Citizen account verified")
    PORTAL_PROFILE_SAVED = "portal.profile_saved", _("Citizen profile saved")
    PORTAL_DRAFT_SUBMITTED = "portal.draft_submitted", _("Online application submitted")
    PORTAL_DOSSIER_RATED = "portal.dossier_rated", _("Dossier rated by the applicant")
    PORTAL_FEEDBACK_SENT = "portal.feedback_sent", _("Feedback sent")
    PORTAL_FEEDBACK_ANSWERED = "portal.feedback_answered", _("Feedback answered")
    REGISTER_SAVED = "documents.register_saved", _("Document register saved")
    DOCUMENT_PROFILE_SAVED = "documents.profile_saved", _("Office-work settings saved")
    DOCUMENT_REGISTERED = "documents.registered", _("Incoming document registered")
    DOCUMENT_RETURNED = "documents.returned", _("Incoming document returned to the sender")
    DOCUMENT_SUBMITTED = "documents.submitted", _("Incoming document submitted to the leader")
    DOCUMENT_DIRECTED = "documents.directed", _("Direction given on a document")
    DOCUMENT_HANDLED = "documents.handled", _("Document handling recorded")
    DOCUMENT_EXTENSION = "documents.extension", _("Document deadline extension")
    DOCUMENT_DONE = "documents.done", _("Document handling done")
    DOCUMENT_OVERDUE = "documents.overdue", _("Document handling overdue")
    DOCUMENT_DRAFTED = "documents.drafted", _("Outgoing document drafted")
    DOCUMENT_REVIEWED = "documents.reviewed", _("Draft reviewed")
    DOCUMENT_ISSUED = "documents.issued", _("Outgoing document issued")
    DOCUMENT_RECALLED = "documents.recalled", _("Issued document recalled")
    DOCUMENT_REPLACED = "documents.replaced", _("Issued document replaced")
    DOCUMENT_DELEGATION = "documents.delegation", _("Handling delegated")
    DOCUMENT_ACCESS_CHANGED = "documents.access_changed", _("Access to a document changed")
    DOCUMENT_HOLD = "documents.legal_hold", _("Legal hold changed")
    WORK_FILE_CHANGED = "documents.work_file", _("Work file changed")
    DOCUMENTS_GENERATED = "bench.documents_generated", _("Synthetic documents generated")
    SIGNING_KEY_ADDED = "signatures.key_added", _("Signing key added")
    SIGNING_KEY_CHANGED = "signatures.key_changed", _("Signing key changed")
    SIGNATURE_IMAGE_SET = "signatures.image_set", _("Signature or seal image uploaded")
    TRUST_ROOT_CHANGED = "signatures.root_changed", _("Trust roots changed")
    DOCUMENT_SIGNED = "signatures.signed", _("File digitally signed")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One legally relevant event: who did what to which record, when, from where,
    with before/after snapshots. Each entry's hash covers the previous entry's hash."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_repr = models.CharField(_("actor"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # No `choices`: event names are an open set (new modules add their own) and a choices list
    # would mean a migration for every new event. Labels come from AuditEvent when known.
    event = models.CharField(_("event"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    # Units whose auditors may read this entry ("/1/5/" style paths, space separated).
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def event_label(self) -> str:
        try:
            return str(AuditEvent(self.event).label)
        except ValueError:
            return self.event


class AuditHead(models.Model):
    """The single row holding the chain's last sequence and hash. Locking it serialises
    appends across processes and lets verification notice a truncated tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
