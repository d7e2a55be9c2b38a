"""People (staff and citizens) and the roles staff hold in units."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    STAFF = "staff", _("Civil servant")
    CITIZEN = "citizen", _("Citizen / business")


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop officer")
    SPECIALIST = "specialist", _("Specialist")
    HEAD_OF_DIVISION = "head_of_division", _("Head of division")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    AUDITOR = "auditor", _("Auditor")
    CATALOGUE_OFFICER = "catalogue_officer", _("Catalogue officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    """A person who signs in: a civil servant (cán bộ, công chức) or a citizen/business."""

    full_name = models.CharField(_("full name"), max_length=150)
    kind = models.CharField(
        _("account kind"), max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts may skip TOTP when the demo switch is on."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_account(self) -> bool:
        return self.kind == AccountKind.STAFF


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> RoleAssignmentQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A role a person holds in a unit (and, for scoping, in the units below it)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="roles", verbose_name=_("user"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_role_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class EnrolmentCode(models.Model):
    """A one-time code (mã kích hoạt xác thực hai lớp) that a unit administrator issues so a person
    can enrol an authenticator app, or replace a lost one. Only its HMAC is stored; it expires,
    it allows a few tries, and it works once: knowing the password alone no longer lets anyone
    attach their own phone to an account that has none."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="enrolment_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set when the code is redeemed, and when a newer code replaces it.
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_enrol_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
