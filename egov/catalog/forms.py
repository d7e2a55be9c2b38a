"""The catalogue editor: one form for the procedure and a formset per repeated group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData
from egov.catalog.models import (
    ApplicantType,
    BudgetUnit,
    Channel,
    FeeCollection,
    FeeKind,
    HandlingLevel,
    OnlineLevel,
    StepRole,
    StepUnitKind,
    SupplementMode,
    TimeUnit,
)
from egov.core.forms import StyledFormMixin, validate_plausible_date

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ProcedureForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("National code"), max_length=40)
    is_example_code = forms.BooleanField(label=_("The code is illustrative"), required=False)
    published_code = forms.CharField(label=_("Published code"), max_length=80, required=False)
    name = forms.CharField(label=_("Name"), max_length=500)
    field_code = forms.CharField(label=_("Field code"), max_length=20)
    field_name = forms.CharField(label=_("Field name (for a new field)"), max_length=255, required=False)
    levels = forms.MultipleChoiceField(
        label=_("Handling levels"), choices=HandlingLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    implementing_agency = forms.CharField(label=_("Implementing agency"), max_length=500, required=False)
    applicant_types = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=ApplicantType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    online_level = forms.ChoiceField(label=_("Online level"), choices=OnlineLevel.choices)
    legacy_level = forms.TypedChoiceField(
        label=_("Service level (2021)"), coerce=int, choices=[(i, str(i)) for i in range(1, 5)], initial=2
    )
    cutoff = forms.TimeField(label=_("Afternoon cut-off (hh:mm)"), required=False)
    supplement_mode = forms.ChoiceField(
        label=_("When papers are supplemented"), choices=SupplementMode.choices
    )
    steps = forms.CharField(label=_("Steps"), widget=TEXTAREA, required=False)
    conditions = forms.CharField(label=_("Conditions"), widget=TEXTAREA, required=False)
    results = forms.CharField(label=_("Results"), widget=TEXTAREA, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=TEXTAREA, required=False)


class OptionalRowMixin:
    """An extra row whose boxes are left as they came is ignored.

    Django treats an extra formset row as empty only when nothing differs from its initial data,
    but a drop-down always submits its first choice, so every untouched row with a select looked
    "changed" and failed with "This field is required" on the boxes nobody filled in."""

    fields: dict[str, forms.Field]
    empty_permitted: bool

    def has_changed(self) -> bool:
        changed = super().has_changed()  # type: ignore[misc]
        if not changed or not self.empty_permitted:
            return bool(changed)
        typed = [n for n in self.changed_data if not isinstance(self.fields[n], forms.ChoiceField)]  # type: ignore[attr-defined]
        return bool(typed)


class ChannelForm(OptionalRowMixin, StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    time_amount = forms.IntegerField(label=_("Time limit"), min_value=1, max_value=1098)
    time_unit = forms.ChoiceField(label=pgettext_lazy("time limit", "Unit"), choices=TimeUnit.choices)
    fee_kind = forms.ChoiceField(label=_("Fee kind"), choices=FeeKind.choices)
    fee_amount = forms.IntegerField(
        label=_("Amount (VND)"),
        min_value=0,
        max_value=999_999_999_999,
        initial=0,
        error_messages={"invalid": _("Enter the amount in whole đồng, without separators.")},
    )
    fee_collection = forms.ChoiceField(label=_("Collection"), choices=FeeCollection.choices)
    fee_note = forms.CharField(label=_("Fee note"), max_length=255, required=False)


class PaperForm(OptionalRowMixin, StyledFormMixin, forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=32767)
    name = forms.CharField(label=_("Paper"), max_length=500)
    originals = forms.IntegerField(label=_("Originals"), min_value=0, max_value=99, initial=0)
    certified_copies = forms.IntegerField(label=_("Certified copies"), min_value=0, max_value=99, initial=0)
    photocopies = forms.IntegerField(label=_("Photocopies"), min_value=0, max_value=99, initial=0)
    optional = forms.BooleanField(
        label=_("Only if any"),
        required=False,
        help_text=_("The applicant hands it in only if they have it (“nếu có”); not required to submit."),
    )


class StepForm(OptionalRowMixin, StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=HandlingLevel.choices)
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=32767)
    name = forms.CharField(label=_("Step"), max_length=255)
    role = forms.ChoiceField(label=_("Responsible role"), choices=StepRole.choices)
    unit_kind = forms.ChoiceField(label=_("Responsible unit"), choices=StepUnitKind.choices)
    budget_amount = forms.IntegerField(label=_("Time budget"), min_value=1, max_value=10_000)
    budget_unit = forms.ChoiceField(label=_("Budget unit"), choices=BudgetUnit.choices)
    handover_to = forms.CharField(label=_("Hand over to agency"), max_length=255, required=False)


ChannelFormSet = formset_factory(ChannelForm, extra=1, can_delete=True, max_num=3, validate_max=True)
PaperFormSet = formset_factory(PaperForm, extra=2, can_delete=True, max_num=60)
StepFormSet = formset_factory(StepForm, extra=2, can_delete=True, max_num=60)


class PublishForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(label=_("Publishing decision number"), max_length=100)
    decision_date = forms.DateField(
        label=_("Decision date (dd/mm/yyyy)"), validators=[validate_plausible_date]
    )


class WithdrawForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Withdrawn from (dd/mm/yyyy)"), validators=[validate_plausible_date])
    reason = forms.CharField(label=_("Reason"), max_length=255)


class CatalogueImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Catalogue file (.xlsx, or .zip of CSV files)"))
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False)

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.EGOV_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if not upload.name.lower().endswith((".xlsx", ".zip")):
            raise forms.ValidationError(_("Upload an .xlsx file or a .zip of CSV files."))
        return upload


def _rows(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def data_from_forms(form: ProcedureForm, channels: Any, papers: Any, steps: Any) -> ProcedureData:
    c = form.cleaned_data
    return ProcedureData(
        code=c["code"].strip(),
        name=c["name"],
        field_code=c["field_code"].strip(),
        field_name=c["field_name"],
        published_code=c["published_code"],
        levels=list(c["levels"]),
        implementing_agency=c["implementing_agency"],
        applicant_types=list(c["applicant_types"]),
        online_level=c["online_level"],
        legacy_level=c["legacy_level"],
        cutoff=c["cutoff"],
        supplement_mode=c["supplement_mode"],
        steps=c["steps"],
        conditions=c["conditions"],
        results=c["results"],
        legal_basis=c["legal_basis"],
        is_example_code=c["is_example_code"],
        channels=[ChannelData(**{k: v for k, v in r.items() if k != "DELETE"}) for r in _rows(channels)],
        papers=[PaperData(**{k: v for k, v in r.items() if k != "DELETE"}) for r in _rows(papers)],
        process=[StepData(**{k: v for k, v in r.items() if k != "DELETE"}) for r in _rows(steps)],
    )


def initial_from_data(
    data: ProcedureData,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    import dataclasses

    head = {k: v for k, v in dataclasses.asdict(data).items() if k not in {"channels", "papers", "process"}}
    return (
        head,
        [dataclasses.asdict(c) for c in data.channels],
        [dataclasses.asdict(p) for p in data.papers],
        [dataclasses.asdict(s) for s in data.process],
    )
