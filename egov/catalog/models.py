"""The procedure catalogue (danh mục thủ tục hành chính): procedures and their published versions."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,39}$", _("Use letters, digits, dots and hyphens.")
)


class Field(models.Model):
    """A field of activity (lĩnh vực), e.g. Hộ tịch."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) identified by its national code.
    Its content lives in versions; dossiers point at the version they were received under."""

    code = models.CharField(_("national code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    is_example_code = models.BooleanField(_("illustrative code"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:public_detail", kwargs={"code": self.code})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online (toàn trình)")
    PARTIAL = "partial", _("Partly online (một phần)")
    NONE = "none", _("Not online")


class SupplementMode(models.TextChoices):
    PAUSE = "pause", _("Supplement pauses the clock")
    RESTART = "restart", _("Supplement restarts the clock")


class HandlingLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business")
    ORGANISATION = "organisation", pgettext_lazy("applicant type", "Organisation")


class ProcedureVersion(models.Model):
    """One version of a procedure's content. Published versions are never edited: editing
    starts a new draft, and publishing it supersedes the previous version."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("name"), max_length=500)
    # Folded copies for diacritics-insensitive search on every engine (see catalog.text.fold).
    name_folded = models.CharField(max_length=500, editable=False, default="", db_index=True)
    search_text = models.TextField(editable=False, default="")
    published_code = models.CharField(_("published code"), max_length=80, blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("field")
    )
    levels = models.JSONField(_("handling levels"), default=list)
    implementing_agency = models.CharField(_("implementing agency"), max_length=500, blank=True)
    applicant_types = models.JSONField(_("who may apply"), default=list)
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel.choices)
    legacy_level = models.PositiveSmallIntegerField(
        _("service level (2021)"), validators=[MinValueValidator(1), MaxValueValidator(4)], default=2
    )
    cutoff = models.TimeField(_("afternoon cut-off"), null=True, blank=True)
    supplement_mode = models.CharField(
        _("supplement"), max_length=10, choices=SupplementMode.choices, default=SupplementMode.PAUSE
    )
    steps = models.TextField(_("steps"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    results = models.TextField(_("results"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    decision_number = models.CharField(_("publishing decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_from = models.DateField(_("withdrawn from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="published"), name="catalog_one_published_version"
            ),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="draft"), name="catalog_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["status", "online_level"], name="catalog_status_online_idx")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"


class Channel(models.TextChoices):
    DIRECT = "direct", _("At the counter")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee (phí)")
    CHARGE = "charge", _("Charge (lệ phí)")
    NONE = "none", _("No fee")


class FeeCollection(models.TextChoices):
    BEFORE = "before", _("Paid on submission")
    AFTER = "after", _("Paid on receiving the result")
    NONE = "none", _("Nothing to pay")
    EXEMPT = "exempt", _("Exempt group")


class ChannelOption(models.Model):
    """How a procedure is offered on one channel: time limit and fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    time_amount = models.PositiveIntegerField(_("time limit"), validators=[MinValueValidator(1)])
    time_unit = models.CharField(_("unit"), max_length=15, choices=TimeUnit.choices)
    fee_kind = models.CharField(_("fee kind"), max_length=10, choices=FeeKind.choices, default=FeeKind.NONE)
    fee_amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)
    fee_collection = models.CharField(
        _("collection"), max_length=10, choices=FeeCollection.choices, default=FeeCollection.NONE
    )
    fee_note = models.CharField(_("fee note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["version", "channel"]
        constraints = [models.UniqueConstraint(fields=["version", "channel"], name="catalog_channel_once")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_amount} {self.get_time_unit_display()}"


class RequiredPaper(models.Model):
    """A paper the applicant must hand in (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("photocopies"), default=0)
    template = models.FileField(_("form template"), upload_to="catalog/templates/", blank=True)
    # "(nếu có)": handed in only when the applicant has it, so never required for submission.
    optional = models.BooleanField(_("only if any"), default=False)

    class Meta:
        verbose_name = _("required paper")
        verbose_name_plural = _("required papers")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class StepRole(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop officer")
    SPECIALIST = "specialist", _("Specialist")
    HEAD_OF_DIVISION = "head_of_division", _("Head of division")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk")


class StepUnitKind(models.TextChoices):
    ONE_STOP = "one_stop", _("One-stop department")
    DIVISION = "division", _("Division / office")
    DEPARTMENT = "department", _("Department / agency")
    COMMITTEE = "committee", _("People's Committee")


class BudgetUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ) at one handling level."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps")
    level = models.CharField(_("level"), max_length=10, choices=HandlingLevel.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("responsible role"), max_length=20, choices=StepRole.choices)
    unit_kind = models.CharField(_("responsible unit"), max_length=12, choices=StepUnitKind.choices)
    budget_amount = models.PositiveIntegerField(_("time budget"), validators=[MinValueValidator(1)])
    budget_unit = models.CharField(_("budget unit"), max_length=15, choices=BudgetUnit.choices)
    handover_to = models.CharField(_("hand over to agency"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "level", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level", "order"], name="catalog_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
