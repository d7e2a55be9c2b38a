"""Forms of the citizen portal. Labels are written for an ordinary citizen, not a clerk."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ApplicantType as ApplicantKind
from egov.core.forms import StyledFormMixin
from egov.core.idnumbers import validate_id_number
from egov.core.uploads import check_upload
from egov.dossiers.forms import MultipleFileField
from egov.dossiers.models import ReturnMethod
from egov.portal.models import FeedbackAbout, FeedbackKind, RatingScore

PHONE_REGEX = r"^\+?[0-9 .]{8,20}$"


def _phone(required: bool = False) -> forms.RegexField:
    return forms.RegexField(
        label=_("Phone number"),
        regex=PHONE_REGEX,
        required=required,
        max_length=20,
        error_messages={"invalid": _("Enter a phone number of 8–20 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _id_number() -> forms.CharField:
    return forms.CharField(
        label=_("ID card number (CCCD) or business registration number"),
        max_length=20,
        required=False,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ProfileForm(StyledFormMixin, forms.Form):
    applicant_kind = forms.ChoiceField(label=_("You apply as"), choices=ApplicantKind.choices)
    full_name = forms.CharField(
        label=_("Full name or business name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = _id_number()
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = _phone()
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ApplicantStepForm(StyledFormMixin, forms.Form):
    """Step 1: who applies, and what for."""

    kind = forms.ChoiceField(label=_("You apply as"), choices=ApplicantKind.choices)
    name = forms.CharField(
        label=_("Full name or business name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = _id_number()
    address = forms.CharField(
        label=_("Address"), max_length=500, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = _phone()
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    summary = forms.CharField(
        label=_("What you are asking for (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Give a phone number or an e-mail so that we can tell you about the dossier.")
            )
        return cleaned


class DeliveryStepForm(StyledFormMixin, forms.Form):
    """Step 3: where the dossier goes and how the result comes back."""

    unit = forms.TypedChoiceField(label=_("Where to submit (one-stop office)"), coerce=int, choices=())
    return_method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=[
            (ReturnMethod.ONLINE, _("Online: download it here")),
            (ReturnMethod.POST, _("By post, to the address below")),
            (ReturnMethod.COUNTER, _("I will collect it at the office")),
        ],
        widget=forms.RadioSelect,
        initial=ReturnMethod.ONLINE,
    )
    return_address = forms.CharField(
        label=_("Postal address for the result"),
        max_length=500,
        required=False,
        help_text=_("Needed only if the result is sent by post."),
    )

    def __init__(self, *args: Any, units: list[tuple[str, list[tuple[int, str]]]], **kwargs: Any) -> None:
        """``units``: (district or province name, [(office id, office name), ...]) groups."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("— choose —")), *units]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("return_method") == ReturnMethod.POST
            and not cleaned.get("return_address", "").strip()
        ):
            self.add_error("return_address", _("Give the postal address for the result."))
        return cleaned


class ReviewForm(StyledFormMixin, forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information and papers above are true and complete, and I am "
            "responsible for them before the law."
        ),
        error_messages={"required": _("Tick the declaration to submit.")},
    )


def _checked_files(files: list[Any]) -> list[Any]:
    errors = []
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as exc:
            errors.append(
                ValidationError(
                    _("%(name)s: %(problem)s") % {"name": upload.name, "problem": exc.messages[0]}
                )
            )
    if errors:
        raise ValidationError(errors)
    return files


class SupplementForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]  # shadows BaseForm.files for the type checker only
        label=_("Files (PDF, JPEG, PNG, DOCX or XLSX)"),
        error_messages={"required": _("Choose at least one file.")},
    )
    note = forms.CharField(
        label=_("Message to the officer (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_files(self) -> list[Any]:
        return _checked_files(self.cleaned_data["files"])


class RatingForm(StyledFormMixin, forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with how your dossier was handled?"),
        choices=RatingScore.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    about = forms.ChoiceField(label=_("It is about"), choices=FeedbackAbout.choices, widget=forms.RadioSelect)
    dossier = forms.TypedChoiceField(label=_("Which dossier"), coerce=int, required=False, choices=())
    procedure = forms.CharField(
        label=_("Procedure code"),
        max_length=40,
        required=False,
        help_text=_("The code shown on the procedure's page, e.g. 1.001193."),
    )
    officer_name = forms.CharField(
        label=_("Officer's name or desk, if you know it"), max_length=255, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("What happened, and what you propose"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, dossiers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["dossier"]).choices = [("", _("— none —")), *dossiers]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        about = cleaned.get("about")
        if about in {FeedbackAbout.DOSSIER, FeedbackAbout.OFFICER} and not cleaned.get("dossier"):
            self.add_error("dossier", _("Choose the dossier this is about."))
        if about == FeedbackAbout.PROCEDURE and not cleaned.get("procedure", "").strip():
            self.add_error("procedure", _("Give the procedure's code."))
        if about == FeedbackAbout.OFFICER and not cleaned.get("officer_name", "").strip():
            self.add_error("officer_name", _("Say which officer or desk this is about."))
        return cleaned


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer to the citizen"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class LookupForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on your receipt, e.g. 000.00.53.H48-250921-0099."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    proof = forms.CharField(
        label=_("Your phone number, or the look-up code on the receipt"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def recent_months(count: int = 24) -> list[dt.date]:
    current = timezone.localdate().replace(day=1)
    months = []
    for _i in range(count):
        months.append(current)
        current = (current - dt.timedelta(days=1)).replace(day=1)
    return months


class TransparencyForm(StyledFormMixin, forms.Form):
    month = forms.ChoiceField(label=_("Month"), required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = [
            (m.strftime("%Y-%m"), m.strftime("%m/%Y")) for m in recent_months()
        ]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", _("All agencies, one month")),
            *agencies,
        ]
