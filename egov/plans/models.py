"""Plan targets (chỉ tiêu kế hoạch) and the service index's groups and indicators (Bộ chỉ số
766/QĐ-TTg). All of them are data: later plans and a confirmed 766 formula are loaded, not coded."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanTarget(models.Model):
    """One quantified target of an IT plan (chỉ tiêu), e.g. "≥ 30% of dossiers online" of
    Kế hoạch 195/KH-UBND for 2021. ``key`` names the live measure that checks it, if any."""

    plan = models.CharField(_("plan"), max_length=100)
    key = models.SlugField(_("key"), max_length=60)
    indicator = models.CharField(_("indicator"), max_length=500)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    target = models.DecimalField(
        pgettext_lazy("plan", "target"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    baseline = models.DecimalField(_("baseline"), max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=20, default="percent")
    how_measured = models.TextField(_("how it is measured"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plans_target_key_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.key}"


class IndexGroup(models.Model):
    """A group of the service index (nhóm chỉ số), e.g. processing progress, 20 of 100 points."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service index group")
        verbose_name_plural = _("service index groups")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class IndexIndicator(models.Model):
    """One scored indicator (chỉ số thành phần): max_points × numerator / denominator, both
    named metrics over live data (see ``egov.plans.metrics``). The formulas are unconfirmed,
    which is why they are rows and not code."""

    group = models.ForeignKey(
        IndexGroup, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("group")
    )
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    numerator_metric = models.CharField(_("numerator"), max_length=60)
    denominator_metric = models.CharField(_("denominator"), max_length=60)
    definition = models.TextField(_("definition"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service index indicator")
        verbose_name_plural = _("service index indicators")
        ordering = ["group__order", "order", "key"]

    def __str__(self) -> str:
        return self.name
