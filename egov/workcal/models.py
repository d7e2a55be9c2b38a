"""Stored working calendars: per province (or any unit below it) and their overrides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def _validate_rest_weekdays(value: str) -> None:
    try:
        days = {int(part) for part in value.split(",") if part.strip()}
    except ValueError:
        raise ValidationError(
            _("Use weekday numbers 0 (Monday) to 6 (Sunday), separated by commas.")
        ) from None
    if not days <= set(range(7)) or len(days) == 7:
        raise ValidationError(_("Use weekday numbers 0 (Monday) to 6 (Sunday), separated by commas."))


class WorkCalendar(models.Model):
    """The working calendar (lịch làm việc) of a unit and everything below it: weekly rest
    days, office sessions, and the overrides the province announces each year."""

    unit = models.OneToOneField(
        "orgs.Unit", on_delete=models.PROTECT, related_name="work_calendar", verbose_name=_("unit")
    )
    rest_weekdays = models.CharField(
        _("weekly rest days"),
        max_length=20,
        default="5,6",
        validators=[_validate_rest_weekdays],
        help_text=_("Weekday numbers, 0 = Monday … 6 = Sunday."),
    )
    sessions = models.JSONField(
        _("office sessions"), default=list, help_text=_('e.g. [["07:00", "11:00"], ["13:00", "17:00"]]')
    )

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return str(self.unit)


class CalendarOverride(models.Model):
    """An announced exception: an extra day off or an extra working day (e.g. a make-up Saturday)."""

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.PROTECT, related_name="overrides")
    date = models.DateField(_("date"))
    working = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=255)
    legal_basis = models.CharField(_("announced by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="workcal_override_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"
