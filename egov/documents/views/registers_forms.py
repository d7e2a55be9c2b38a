"""Forms of the registers pages: a register, office-work settings, a period, a grant."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.documents.models import DocumentType, RegisterKind
from egov.documents.services.registers import REVIEW_ROLES

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_DAYS = 5 * 366


class RegisterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of register"), choices=RegisterKind.choices)
    name = forms.CharField(label=_("Register name"), max_length=200)
    code = forms.CharField(
        label=_("Register code"), max_length=20, help_text=_("Unique within the agency, e.g. DEN, DI, QD.")
    )
    is_secret = forms.BooleanField(label=_("Register of secret documents"), required=False)
    document_types = forms.MultipleChoiceField(
        label=_("Document types"),
        choices=DocumentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every type."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ProfileForm(StyledFormMixin, forms.Form):
    abbreviation = forms.CharField(
        label=_("Abbreviation in notations"), max_length=20, help_text=_("For example UBND, SYT, VP.")
    )
    review_1 = forms.ChoiceField(label=_("First review"), required=False)
    review_2 = forms.ChoiceField(label=_("Second review"), required=False)
    review_3 = forms.ChoiceField(label=_("Third review"), required=False)
    done_needs_acceptance = forms.BooleanField(
        label=_("The assigner accepts a reported completion"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *[(str(r.value), r.label) for r in REVIEW_ROLES]]
        for name in ("review_1", "review_2", "review_3"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices

    @staticmethod
    def initial_for(abbreviation: str, roles: list[str], done_needs_acceptance: bool) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "abbreviation": abbreviation,
            "done_needs_acceptance": done_needs_acceptance,
        }
        for i, role in enumerate(roles[:3], start=1):
            initial[f"review_{i}"] = role
        return initial

    def review_roles(self) -> list[str]:
        return [r for r in (self.cleaned_data.get(f"review_{i}") for i in (1, 2, 3)) if r]


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("From (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("To (dd/mm/yyyy)"), input_formats=DATE_FORMATS)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("The period is longer than five years."))
        return cleaned


def period_data(data: Any, today: dt.date) -> dict[str, str]:
    """The query's period with this year to date as the default."""
    values = {k: data.get(k, "") for k in ("start", "end")}
    values["start"] = values["start"] or today.replace(month=1, day=1).strftime("%d/%m/%Y")
    values["end"] = values["end"] or today.strftime("%d/%m/%Y")
    return values


class AccessLogFilter(StyledFormMixin, forms.Form):
    person = forms.CharField(label=_("Person"), max_length=150, required=False)
    document = forms.CharField(
        label=_("Document (number, notation or subject)"), max_length=200, required=False
    )
    start = forms.DateField(label=_("From (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False)
    end = forms.DateField(label=_("To (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False)


class GrantForm(StyledFormMixin, forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, choices=())

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [("", "—"), *people]
