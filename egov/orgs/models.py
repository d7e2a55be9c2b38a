"""Organisation units over time: administrative areas and the agencies inside them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province / centrally-run city")
    DISTRICT = "district", _("District-level unit")
    COMMUNE = "commune", _("Commune / ward / special zone")
    PEOPLES_COMMITTEE = "committee", _("People's Committee")
    DEPARTMENT = "department", _("Department / agency")
    DIVISION = "division", _("Division / office")
    ONE_STOP = "one_stop", _("One-stop department")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


AREA_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE})


def path_ids(path: str) -> list[int]:
    """Primary keys in a materialised path ("/1/5/23/" → [1, 5, 23]), from the root down."""
    return [int(p) for p in path.strip("/").split("/") if p]


def path_prefixes(path: str) -> list[str]:
    """The paths of a unit and of every unit above it ("/1/5/" → ["/1/", "/1/5/"]): a role held
    at any of them covers the unit."""
    ids = path_ids(path)
    return ["/" + "/".join(str(pk) for pk in ids[: i + 1]) + "/" for i in range(len(ids))]


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        """Units that existed on ``day`` (valid_from <= day < valid_to)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def in_subtrees(self, paths: list[str]) -> UnitQuerySet:
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


class Unit(models.Model):
    """An organisation unit (đơn vị): an administrative area (tỉnh, huyện, xã) or an agency
    inside one (UBND, sở/ban/ngành, phòng, bộ phận một cửa). Units are never deleted: a
    reorganisation closes them (valid_to) and links successors."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    gso_code = models.CharField(
        _("statistics code"), max_length=10, blank=True, help_text=_("Administrative unit code (mã ĐVHC).")
    )
    agency_code = models.CharField(
        _("agency identifier"),
        max_length=35,
        blank=True,
        help_text=_("Electronic identifier (mã định danh)."),
    )
    unit_type = models.CharField(
        _("type label"), max_length=50, blank=True, help_text=_("e.g. Xã, Phường, Sở")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    # Materialised path of primary keys ("/1/5/23/"): subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField(default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code"],
                condition=~Q(agency_code="") & Q(valid_to__isnull=True),
                name="orgs_unit_current_agency_code_unique",
            ),
            models.UniqueConstraint(
                fields=["gso_code", "kind"],
                condition=~Q(gso_code="") & Q(valid_to__isnull=True),
                name="orgs_unit_current_gso_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="orgs_unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("orgs:unit_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        # Dossier codes start with the agency identifier and the public look-up matches them
        # exactly (an index seek), so identifiers are stored in capitals like the national ones.
        self.agency_code = self.agency_code.strip().upper()

    @property
    def is_area(self) -> bool:
        return self.kind in AREA_KINDS

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merger")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Renaming")


class UnitSuccession(models.Model):
    """A link from a unit that ended to the unit that took over (all or part of) its work."""

    predecessor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="successions", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="predecessions", verbose_name=_("successor")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective on"))
    is_default = models.BooleanField(
        _("default successor"),
        default=True,
        help_text=_("Where records go when a split unit is re-attributed."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="orgs_succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="orgs_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
