"""Work files (hồ sơ công việc) and each unit's yearly file plan; access to documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.documents.models.vocab import AccessKind, Retention, WorkFileState


class FilePlanEntry(models.Model):
    """A line of a unit's yearly file plan (danh mục hồ sơ): the files it expects to open,
    with their retention period and the person in charge."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("file code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    retention = models.CharField(_("retention"), max_length=10, choices=Retention.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("file plan entry")
        verbose_name_plural = _("file plan entries")
        ordering = ["unit_id", "year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="documents_fileplan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title[:80]}"


class WorkFile(models.Model):
    """A work file (hồ sơ công việc, Decree 30 Annex VI): documents gathered on one matter, kept
    while open, closed when the matter ends, then transferred to the agency archive. A document
    may sit in several files without copies. A file under legal hold cannot change."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    plan_entry = models.ForeignKey(
        FilePlanEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Annex VI: agency identifier (13) + year (4) + file notation (20).
    code = models.CharField(_("file code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    retention = models.CharField(_("retention"), max_length=10, choices=Retention.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=10, default="vi")
    description = models.CharField(_("description"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=WorkFileState.choices, default=WorkFileState.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # When the closed file must reach the agency archive; flagged 30 days ahead.
    transfer_due_on = models.DateField(_("transfer due"), null=True, blank=True)
    transfer_warned_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work file")
        verbose_name_plural = _("work files")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="documents_workfile_code_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "state"], name="documents_workfile_idx"),
            models.Index(fields=["state", "transfer_due_on"], name="documents_workfile_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title[:80]}"


class WorkFileItem(models.Model):
    """A document in a work file, in order (the file's index of documents)."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.PROTECT, related_name="items")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="file_items")
    order = models.PositiveIntegerField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["work_file_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["work_file", "document"], name="documents_fileitem_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_file_id}#{self.order}"


class AccessGrant(models.Model):
    """Access to a secret document given to a named person by the agency's leader; changes are
    audited and the agency's administrators alerted."""

    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="grants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "person"],
                condition=Q(revoked_at__isnull=True),
                name="documents_grant_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.person_id}"


class AccessLog(models.Model):
    """Who viewed, downloaded, printed or exported which document, when (Annex VI). Written by
    the access helper on every read; read by the agency's administrator."""

    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(
        "documents.DocumentFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=AccessKind.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        indexes = [
            models.Index(fields=["document", "-at"], name="documents_access_doc_idx"),
            models.Index(fields=["user", "-at"], name="documents_access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.document_id}"


class SavedSearch(models.Model):
    """A search a person named to run again (Annex VI): the query string of the search page."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="documents_saved_search_unique")
        ]

    def __str__(self) -> str:
        return self.name
