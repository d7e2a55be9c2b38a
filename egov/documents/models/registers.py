"""Registers (sổ văn bản) and their yearly counters, and each agency's office-work settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.documents.models.vocab import RegisterKind


class DocumentProfile(models.Model):
    """Office-work settings of a unit (cấu hình văn thư): the abbreviation printed in notations
    (``UBND``, ``SYT``; a division's abbreviation follows the agency's, ``45/UBND-VP``), the
    review chain that drafts pass before issue, and whether a lead handler's "done" needs the
    assigner's acceptance. Set by the agency's administrator."""

    unit = models.OneToOneField(
        "orgs.Unit", on_delete=models.PROTECT, related_name="document_profile", verbose_name=_("unit")
    )
    abbreviation = models.CharField(_("abbreviation in notations"), max_length=20)
    # Roles in review order, e.g. ["head_of_division", "agency_leader"]; the drafter's own unit
    # is searched upwards for the holder of each role.
    review_roles = models.JSONField(_("review chain"), default=list, blank=True)
    done_needs_acceptance = models.BooleanField(
        _("the assigner accepts a reported completion"), default=False
    )

    class Meta:
        verbose_name = _("office-work settings")
        verbose_name_plural = _("office-work settings")

    def __str__(self) -> str:
        return f"{self.unit} · {self.abbreviation}"


class Register(models.Model):
    """A register of incoming or outgoing documents (sổ văn bản đến / đi) kept by an agency's
    clerk. An agency may keep several of a kind (per department, for secret documents); numbers
    run per register per calendar year from 01 on 1 January (:class:`RegisterCounter`)."""

    agency = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="document_registers", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RegisterKind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20)
    # Only secret documents go into a secret register, and secret documents only into one.
    is_secret = models.BooleanField(_("register of secret documents"), default=False)
    # Outgoing registers may be kept per type (e.g. one for decisions); empty means every type.
    document_types = models.JSONField(_("document types"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["agency_id", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="documents_register_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def accepts_type(self, doc_type: str) -> bool:
        return not self.document_types or doc_type in self.document_types


class RegisterCounter(models.Model):
    """The last number given in a register in a year. The row is locked while a number is
    taken, so concurrent issuers queue and a failed issue rolls its number back (no gaps)."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="documents_counter_unique"),
            models.CheckConstraint(condition=Q(year__gte=1900), name="documents_counter_year"),
        ]

    def __str__(self) -> str:
        return f"{self.register_id}/{self.year}: {self.last}"
