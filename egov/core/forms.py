"""Form rendering helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms

from egov.core.schema import EARLIEST, LATEST


class StyledFormMixin:
    """Add Bootstrap classes and accessible error wiring (aria-invalid, aria-describedby)."""

    fields: dict[str, forms.Field]
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                # The bound field's id honours the form's prefix and auto_id (formsets, two forms on
                # one page); "id_<name>" named no element there.
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"  # type: ignore[index]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid"
                attrs["aria-invalid"] = "true"
                auto_id = self[name].auto_id  # type: ignore[index]
                # The error first, and the hint stays announced too.
                help_id = f" {auto_id}_help" if self.fields[name].help_text else ""
                attrs["aria-describedby"] = f"{auto_id}_error{help_id}"


def validate_plausible_date(value: Any) -> None:
    """Dates far from today are typing mistakes, and the year 9999 overflows the date arithmetic
    (working-day calendars, time zones) behind the form: refuse them here, kindly."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(_("Enter a date between 1900 and 2199."), code="out_of_range")
