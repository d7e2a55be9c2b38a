from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.workcal.core import LimitUnit


class OverrideForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date (dd/mm/yyyy)"))
    working = forms.TypedChoiceField(
        label=_("The day is"),
        coerce=lambda v: v == "1",
        choices=[("0", _("a day off")), ("1", _("a working day"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)
    legal_basis = forms.CharField(label=_("Announced by (document number)"), max_length=255, required=False)


class DueForm(StyledFormMixin, forms.Form):
    start = forms.DateTimeField(label=_("Received at (dd/mm/yyyy hh:mm)"))
    amount = forms.IntegerField(label=_("Time limit"), min_value=1, max_value=1098)
    unit = forms.ChoiceField(
        label=_("Unit of the limit"),
        choices=[
            (LimitUnit.WORKING_DAYS.value, _("working days")),
            (LimitUnit.WORKING_HOURS.value, _("working hours")),
            (LimitUnit.CALENDAR_DAYS.value, _("calendar days")),
        ],
    )
    cutoff = forms.TimeField(label=_("Afternoon cut-off (optional, hh:mm)"), required=False)
