from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.reports.periods import PeriodFormMixin


class ReportForm(PeriodFormMixin, StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Reporting unit"), coerce=int, choices=())
    start = forms.DateField(label=_("From (dd/mm/yyyy)"))
    end = forms.DateField(label=_("To (dd/mm/yyyy)"))
    group_by = forms.ChoiceField(
        label=_("Rows"), choices=[("field", _("by field")), ("level", _("by level"))], initial="field"
    )
    with_predecessors = forms.BooleanField(
        label=_("Include units it took over from (reorganisation)"), required=False
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units


class UnitForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int, choices=())

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["unit"]).choices = units
