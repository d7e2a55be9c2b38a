"""The audit trail's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.core.forms import StyledFormMixin
from egov.orgs.models import Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(StyledFormMixin, forms.Form):
    actor = forms.CharField(
        label=_("Actor"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("name or user name")}),
    )
    event = forms.ChoiceField(label=_("Event"), required=False)
    unit = forms.TypedChoiceField(
        label=pgettext_lazy("audit", "Unit"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=pgettext_lazy("audit", "From"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    end = forms.DateField(
        label=pgettext_lazy("audit", "To"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, events: list[tuple[str, str]], units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["event"].choices = [("", _("All events")), *events]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All units")),
            *((u.pk, f"{'— ' * max(u.path.count('/') - 2, 0)}{u.name}") for u in units),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for audit_entries_filtered (call after is_valid)."""
        data = self.cleaned_data
        return {
            "actor": data["actor"].strip(),
            "event": data["event"],
            "unit": self.units.get(data["unit"]) if data["unit"] else None,
            "start": data["start"],
            "end": data["end"],
        }
