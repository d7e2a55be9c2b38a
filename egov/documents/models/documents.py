"""Documents (văn bản), their files and versions, recipients, review of drafts and links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.documents.models.vocab import (
    DocumentType,
    DraftState,
    FileRole,
    Medium,
    Secrecy,
    TextState,
    Urgency,
)


class Document(models.Model):
    """An administrative document (văn bản hành chính) with the Decree 30 metadata and lengths.

    One object for the whole life: a draft written here becomes, once issued, the very object
    that each recipient agency inside egov registers as incoming (:class:`Entry`); a document
    from outside (paper, file, exchange) is created with ``state=issued`` when its first entry is
    registered. Number and notation are stored as issued (strings). Nothing is hard-deleted."""

    doc_type = models.CharField(_("type"), max_length=3, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=11, blank=True)
    # The number as an integer for ordering and gap checks; null for external odd numbers.
    sequence = models.PositiveIntegerField(_("number (sort)"), null=True, blank=True)
    notation = models.CharField(_("notation"), max_length=30, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issuer_name = models.CharField(_("issuing agency"), max_length=200)
    issuer_code = models.CharField(_("issuing agency identifier"), max_length=35, blank=True)
    # The issuing agency when it is a unit of this installation.
    issuer_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="issued_documents"
    )
    subject = models.CharField(_("subject"), max_length=500)
    description = models.CharField(_("summary"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=50, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("secrecy"), max_length=12, choices=Secrecy.choices, default=Secrecy.NONE)
    due_on = models.DateField(_("reply due"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("copies issued"), null=True, blank=True)
    # Decision 395/QĐ-BTTTT: "<OrganId>,<yyyy/MM/dd>,<number>/<notation>"; unique once set.
    identifier = models.CharField(_("document identifier"), max_length=120, blank=True)
    medium = models.CharField(_("medium"), max_length=12, choices=Medium.choices, default=Medium.INTERNAL)
    state = models.CharField(_("state"), max_length=10, choices=DraftState.choices, default=DraftState.DRAFT)

    # Drafting and issue (outgoing documents written here).
    drafting_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="drafted_documents"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    register = models.ForeignKey(
        "documents.Register", on_delete=models.PROTECT, null=True, blank=True, related_name="issued"
    )
    register_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Recall/replace: the reason given, and the replacement.
    withdrawn_reason = models.CharField(_("reason for recall or replacement"), max_length=1000, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="documents_identifier_unique"
            ),
            # A register gives each number once a year.
            models.UniqueConstraint(
                fields=["register", "register_year", "sequence"],
                condition=Q(register__isnull=False),
                name="documents_register_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer_unit", "state", "-issued_on"], name="documents_issuer_idx"),
            models.Index(fields=["drafted_by", "state"], name="documents_drafter_idx"),
            models.Index(fields=["number", "notation"], name="documents_number_idx"),
            models.Index(fields=["-created_at"], name="documents_created_idx"),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.number}/{self.notation} · {self.subject[:80]}"
        return self.subject[:100]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:document", kwargs={"pk": self.pk})

    @property
    def number_notation(self) -> str:
        return f"{self.number}/{self.notation}" if self.number else ""

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE


class DocumentFile(models.Model):
    """A stored file of a document: the main text, an attachment, a draft version, a scan or
    a handler's working file. Immutable: a new version is a new row. The signatures issue adds
    signed derivatives (``derived_from``)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(_("role"), max_length=12, choices=FileRole.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    # The handling note the file was attached to, if any.
    note = models.ForeignKey(
        "documents.HandlingNote", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    derived_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derivatives"
    )
    text = models.TextField(_("extracted text"), blank=True)
    text_state = models.CharField(max_length=8, choices=TextState.choices, default=TextState.PENDING)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document_id", "role", "version", "pk"]
        indexes = [
            models.Index(fields=["text_state"], name="documents_file_text_idx"),
            models.Index(fields=["sha256"], name="documents_file_sha_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Recipient(models.Model):
    """A place an outgoing document is sent to (nơi nhận): an agency of this installation (it
    receives an :class:`Entry` at once) or an outside agency listed for the exchange."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="recipients")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    organ_code = models.CharField(_("agency identifier"), max_length=35, blank=True)
    entry = models.ForeignKey(
        "documents.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # Set when the recipient's copy was frozen by a recall or replacement.
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=Q(unit__isnull=False),
                name="documents_recipient_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.unit_id is None


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")
    CANCELLED = "cancelled", _("Not needed")


class Review(models.Model):
    """One step of a draft's review chain (trình duyệt): which role over which unit must
    approve, who did, when, with which comment. A send-back ends the round; the next submission
    starts a new round of steps."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField()
    role = models.CharField(_("role"), max_length=30)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(_("comment"), max_length=2000, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["document_id", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "round", "order"], name="documents_review_unique"),
        ]
        indexes = [models.Index(fields=["state", "role", "unit"], name="documents_review_todo_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.round}.{self.order} {self.role}"


class LinkKind(models.TextChoices):
    ANSWERS = "answers", _("Answers")
    REPLACES = "replaces", _("Replaces")
    RELATED = "related", _("Related")


class DocumentLink(models.Model):
    """A link between documents: an outgoing document answering incoming ones, a replacement."""

    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="documents_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="documents_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
