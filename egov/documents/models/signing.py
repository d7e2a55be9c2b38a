"""Electronic copies (bản sao điện tử, Decree 30 Art. 25–27) made by an agency of a document it
holds: the copy form, the copying agency, the copy's number in the agency's copy numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CopyForm(models.TextChoices):
    """The forms of copy of Decree 30 Art. 25 (an electronic copy is "sao y")."""

    SAO_Y = "sao_y", _("SAO Y")
    SAO_LUC = "sao_luc", _("SAO LỤC")
    TRICH_SAO = "trich_sao", _("TRÍCH SAO")


class ElectronicCopy(models.Model):
    """An electronic copy of a document made by an agency: its number runs per agency and year
    from 1 (no separate copy register exists yet), and the signed file is a
    :class:`DocumentFile` of role ``copy``."""

    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="copies_made")
    file = models.OneToOneField("documents.DocumentFile", on_delete=models.PROTECT, related_name="copy")
    agency = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("copy form"), max_length=10, choices=CopyForm.choices, default=CopyForm.SAO_Y)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("copy number"))
    notation = models.CharField(_("notation"), max_length=30)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("electronic copy")
        verbose_name_plural = _("electronic copies")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="documents_copy_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number_notation} · {self.get_form_display()}"

    @property
    def number_notation(self) -> str:
        return f"{self.number:02d}/{self.notation}"
