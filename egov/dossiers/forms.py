"""Forms for the one-stop counter and the processing actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ApplicantType as ApplicantKind
from egov.catalog.models import Channel
from egov.core.forms import StyledFormMixin, validate_plausible_date
from egov.core.idnumbers import validate_id_number
from egov.dossiers.models import Outcome, PauseKind, ReturnMethod

PHONE = forms.RegexField(
    label=_("Phone number"),
    regex=r"^\+?[0-9 .]{8,20}$",
    required=False,
    error_messages={"invalid": _("Enter a phone number of 8–20 digits.")},
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class IntakeForm(StyledFormMixin, forms.Form):
    intake_token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    applicant_kind = forms.ChoiceField(label=_("Applicant type"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=255)
    applicant_id_number = forms.RegexField(
        label=_("ID card / registration number"),
        regex=r"^[0-9A-Za-z-]{6,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("Use 6–20 letters, digits or hyphens.")},
        validators=[validate_id_number],
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    applicant_phone = PHONE
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
    )
    return_method = forms.ChoiceField(label=_("How the result is returned"), choices=ReturnMethod.choices)
    return_address = forms.CharField(label=_("Postal address for the result"), max_length=500, required=False)
    fees_collected = forms.IntegerField(
        label=_("Fees collected (VND)"),
        min_value=0,
        max_value=999_999_999_999,
        initial=0,
        error_messages={"invalid": _("Enter the amount in whole đồng, without separators.")},
    )
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    # The form field named "files" (the page's input name) shadows BaseForm.files only for the type checker:
    # Django moves declared fields out of the class.
    files = MultipleFileField(label=_("Scans (PDF, JPEG, PNG, DOCX, XLSX)"), required=False)  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("return_method") == ReturnMethod.POST
            and not cleaned.get("return_address", "").strip()
        ):
            self.add_error("return_address", _("Give the postal address for the result."))
        if not cleaned.get("applicant_phone") and not cleaned.get("applicant_email"):
            self.add_error(
                "applicant_phone", _("Give a phone number or an e-mail so the applicant can be told.")
            )
        return cleaned


class PaperCountForm(forms.Form):
    """One required paper: ticked when received, with the counts actually handed in."""

    received = forms.BooleanField(required=False)
    name = forms.CharField(widget=forms.HiddenInput, max_length=500)
    originals = forms.IntegerField(min_value=0, max_value=99, initial=0)
    certified_copies = forms.IntegerField(min_value=0, max_value=99, initial=0)
    photocopies = forms.IntegerField(min_value=0, max_value=99, initial=0)


PaperFormSet = forms.formset_factory(PaperCountForm, extra=0)


class RefuseForm(StyledFormMixin, forms.Form):
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=255)
    applicant_phone = PHONE
    reason = forms.CharField(label=_("Reason for refusing"), widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(StyledFormMixin, forms.Form):
    step_seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=32767)


class ForwardForm(StepForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    to_unit = forms.TypedChoiceField(label=_("Hand over to"), coerce=int, required=False, choices=())


class SendBackForm(StepForm):
    to_order = forms.TypedChoiceField(label=_("Back to step"), coerce=int, choices=())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(StepForm):
    to = forms.TypedChoiceField(label=_("Assign to"), coerce=int, choices=())


class PauseForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Why the clock stops"), choices=PauseKind.choices)
    items = forms.CharField(
        label=_("Papers to supplement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("Contact officer"), max_length=255, required=False)


class RequestPapersForm(StyledFormMixin, forms.Form):
    """Papers asked for before an online submission is accepted (form 02; no clock to stop)."""

    items = forms.CharField(label=_("Papers to supplement"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label=_("Contact officer"), max_length=255, required=False)


class ResumeForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What was received"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# A browser date picker sends ISO dates; typed Vietnamese dates (dd/mm/yyyy) still count.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


class DatePickerInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimePickerInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ExtendForm(StyledFormMixin, forms.Form):
    new_due_at = forms.DateTimeField(
        label=_("New due date and time"),
        widget=DateTimePickerInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        validators=[validate_plausible_date],
    )
    reason = forms.CharField(label=_("Reason and apology"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Reason (required for a refusal)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result_file = forms.FileField(label=_("Result document (PDF)"), required=False)


class ReturnForm(StyledFormMixin, forms.Form):
    received_by = forms.CharField(label=_("Received by"), max_length=255, required=False)
    tracking = forms.CharField(label=_("Postal tracking number"), max_length=60, required=False)
