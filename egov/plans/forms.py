from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.reports.periods import Period, PeriodFormMixin


class MeasureForm(PeriodFormMixin, StyledFormMixin, forms.Form):
    """A unit and a period; the plan too when more than one plan has targets."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=())
    start = forms.DateField(label=_("From (dd/mm/yyyy)"))
    end = forms.DateField(label=_("To (dd/mm/yyyy)"))
    plan = forms.ChoiceField(label=_("Plan"), choices=(), required=False)

    def __init__(
        self, *args: Any, units: list[tuple[int, str]], plans: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units
        if plans and len(plans) > 1:
            cast(forms.ChoiceField, self.fields["plan"]).choices = [(p, p) for p in plans]
        else:
            del self.fields["plan"]


def year_to_date(today: dt.date) -> Period:
    return Period(today.replace(month=1, day=1), today)
