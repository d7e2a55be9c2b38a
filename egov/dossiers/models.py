"""One-stop dossiers (hồ sơ thủ tục hành chính) and everything that happens to them."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The same channels and applicant types as the catalogue: a dossier is an instance of it.
from egov.catalog.models import ApplicantType as ApplicantKind
from egov.catalog.models import Channel


class DossierState(models.TextChoices):
    REGISTERED = "registered", _("Newly registered (online)")
    PROCESSING = "processing", _("In progress")
    REFUSED = "refused", _("Not received")
    SUPPLEMENT = "supplement", _("Waiting for a supplement")
    OBLIGATION = "obligation", _("Waiting for payment of obligations")
    CONSULTATION = "consultation", _("Waiting for another agency's opinion")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    STOPPED = "stopped", _("Processing stopped")
    RESOLVED = "resolved", _("Resolved, result ready")
    RETURNED = "returned", _("Result returned")


PAUSED_STATES = frozenset({DossierState.SUPPLEMENT, DossierState.OBLIGATION, DossierState.CONSULTATION})
OPEN_STATES = frozenset({DossierState.PROCESSING, *PAUSED_STATES})
FINISHED_STATES = frozenset({DossierState.RESOLVED, DossierState.RETURNED})


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class NationalStatus(models.Model):
    """Mapping of egov states to the national portal's status codes (TrangThaiHoSo 1–10). Data, not code."""

    state = models.CharField(_("state"), max_length=20, choices=DossierState.choices, unique=True)
    code = models.PositiveSmallIntegerField(_("national status code"))
    name = models.CharField(_("national status name"), max_length=100)

    class Meta:
        verbose_name = _("national status")
        verbose_name_plural = _("national statuses")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DailyCounter(models.Model):
    """Per agency and day, the last sequence number handed out: locked FOR UPDATE so
    concurrent receptions get consecutive numbers, and rolled back with a failed reception."""

    agency_code = models.CharField(max_length=35)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="dossiers_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day} #{self.last}"


class Dossier(models.Model):
    """A dossier (hồ sơ) received for one version of a procedure, processed on the statutory clock."""

    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure"),
    )
    level = models.CharField(_("level"), max_length=10)
    receiving_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("receiving unit"),
    )
    resolving_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="resolved_dossiers", verbose_name=_("resolved by")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    return_method = models.CharField(_("result returned"), max_length=10, choices=ReturnMethod.choices)
    return_address = models.CharField(_("postal address for the result"), max_length=500, blank=True)
    applicant_kind = models.CharField(_("applicant type"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant name"), max_length=255)
    applicant_id_number = models.CharField(_("ID / registration number"), max_length=30, blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    fees_collected = models.PositiveBigIntegerField(_("fees collected (VND)"), default=0)
    lookup_secret = models.CharField(max_length=16, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=DossierState.choices, db_index=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, db_index=True)
    clock_started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    statutory_due_at = models.DateTimeField(_("legal due time"), null=True, blank=True)
    due_at = models.DateTimeField(_("due time"), null=True, blank=True, db_index=True)
    overdue_marked_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    # When a withdrawal or a stop ended processing (statistics count these apart).
    terminated_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=10, choices=Timeliness.choices, blank=True)
    postal_tracking = models.CharField(_("postal tracking number"), max_length=60, blank=True)
    returned_to = models.CharField(_("result received by"), max_length=255, blank=True)
    current_step = models.ForeignKey(
        "DossierStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The intake form's one-time token: a double-submitted form finds the dossier it already made.
    intake_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["receiving_unit", "state"], name="dossier_unit_state_idx"),
            models.Index(fields=["resolving_unit", "state"], name="dossier_resolver_state_idx"),
            models.Index(fields=["state", "due_at"], name="dossier_state_due_idx"),
            models.Index(fields=["resolving_unit", "received_at"], name="dossier_resolver_recv_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dossiers:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.state in PAUSED_STATES


class DossierPaper(models.Model):
    """A paper handed in with the dossier, with the counts actually received."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="papers")
    name = models.CharField(_("paper"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("photocopies"), default=0)
    supplement_round = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return self.name


class FileKind(models.TextChoices):
    SCAN = "scan", _("Scanned paper")
    SUPPLEMENT = "supplement", _("Supplemented paper")
    RESULT = "result", _("Result document")
    FORM = "form", _("Generated form")


class DossierFile(models.Model):
    """A stored file of a dossier (scans, results, generated forms) with its SHA-256."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    form_no = models.CharField(max_length=4, blank=True)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Generated forms only: SHA-256 of the HTML the PDF was rendered from. The PDF's own bytes
    # differ on every rendering (WeasyPrint stamps a creation date), so an unchanged form is found
    # by this key before rendering; ``sha256`` always covers the stored bytes.
    content_key = models.CharField(max_length=64, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "created_at"]

    def __str__(self) -> str:
        return self.name


class StepStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")
    SENT_BACK = "sent_back", _("Sent back")


class DossierStep(models.Model):
    """One pass through a step of the internal process: who had it, from when, until when,
    against which budget. These rows are the processing control slip (form 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    seq = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=20)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.ACTIVE)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(blank=True)
    overdue_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossiers_step_seq_unique"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status="active"), name="dossiers_one_active_step"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="step_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.name}"


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplement requested")
    OBLIGATION = "obligation", _("Financial obligation")
    CONSULTATION = "consultation", _("Consultation with another agency")


class Pause(models.Model):
    """An interval in which the clock stands still (or, in restart mode, is reset at the end)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(max_length=15, choices=PauseKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    items = models.TextField(blank=True)
    contact = models.CharField(max_length=255, blank=True)
    restarts_clock = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(ended_at__isnull=True), name="dossiers_one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y}"


class Extension(models.Model):
    """A new date promised to the applicant (form 04); the dossier stays late against the law."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="extensions")
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["dossier", "created_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at:%d/%m/%Y}"


class EventKind(StrEnum):
    """What a :class:`DossierEvent` records (its ``kind``). A plain enum, not model choices: the
    timeline's labels differ by reader (officer, citizen), and the column stays a free string."""

    RECEIVED = "received"
    REGISTERED = "registered"
    STEP_STARTED = "step_started"
    STEP_ASSIGNED = "step_assigned"
    FORWARDED = "forwarded"
    HANDED_OVER = "handed_over"
    SENT_BACK = "sent_back"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAUSED = "paused"
    PAPERS_RECEIVED = "papers_received"
    SUPPLEMENT_RECEIVED = "supplement_received"
    RESUMED = "resumed"
    SUPPLEMENT_SUBMITTED = "supplement_submitted"
    EXTENDED = "extended"
    REFUSED = "refused"
    DECIDED = "decided"
    RETURNED = "returned"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"
    OVERDUE = "overdue"


class DossierEvent(models.Model):
    """The dossier's timeline: one row per thing that happened, in the order it happened."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=30)
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"
