"""Forms of the work-file pages. They check shape and length only; the services decide the rest
and their refusals come back on the named field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.documents.models import Retention

CODE_HELP = _(
    "Letters, digits, dots and dashes, up to 20 characters; the file code adds the agency and year."
)


class PlanLineForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code in the plan"), max_length=20, help_text=CODE_HELP)
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    retention = forms.ChoiceField(label=_("Retention"), choices=Retention.choices)
    owner = forms.TypedChoiceField(label=_("Person in charge"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, people: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *people]  # type: ignore[attr-defined]


class OpenFileForm(StyledFormMixin, forms.Form):
    """Open a file: from a line of a plan (code, title and retention come from it) or ad hoc."""

    plan_entry = forms.TypedChoiceField(
        label=_("From the file plan"), coerce=int, required=False, empty_value=None
    )
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a file not in the plan."),
    )
    code = forms.CharField(label=_("Code"), max_length=20, required=False, help_text=CODE_HELP)
    title = forms.CharField(
        label=_("Title"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    retention = forms.ChoiceField(
        label=_("Retention"), choices=[("", "—"), *Retention.choices], required=False
    )
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        lines: list[tuple[int, str]] = (),  # type: ignore[assignment]
        units: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_entry"].choices = [("", _("— not in the plan —")), *lines]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("plan_entry") is None:
            for name, message in (
                ("unit", _("Choose the unit, or a line of the plan.")),
                ("code", _("Enter the code, or choose a line of the plan.")),
                ("title", _("Enter the title of the file.")),
                ("retention", _("Choose the retention period.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class DocumentPickForm(StyledFormMixin, forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RemoveForm(StyledFormMixin, forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class CloseForm(StyledFormMixin, forms.Form):
    closed_on = forms.DateField(
        label=_("Closing date"),
        required=False,
        help_text=_("When the matter ended; today if empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ChooseFileForm(StyledFormMixin, forms.Form):
    work_file = forms.TypedChoiceField(label=_("Work file"), coerce=int)

    def __init__(self, *args: Any, files: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["work_file"].choices = files  # type: ignore[attr-defined]
