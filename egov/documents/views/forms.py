"""Forms of the incoming and handling pages; lengths and choices as in the models, so bad
input is caught here (422, the input kept) before the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin, validate_plausible_date
from egov.documents.models import DocumentType, Medium, NoteKind, Secrecy, Urgency

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label: Any, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        validators=[validate_plausible_date],
        **kwargs,
    )


class RegisterForm(StyledFormMixin, forms.Form):
    register = forms.TypedChoiceField(label=_("Register"), coerce=int)
    medium = forms.ChoiceField(
        label=_("Received"),
        choices=[(Medium.PAPER, Medium.PAPER.label), (Medium.ELECTRONIC, Medium.ELECTRONIC.label)],
    )
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices, initial=DocumentType.CONG_VAN)
    number = forms.CharField(label=_("Number"), max_length=11, required=False)
    notation = forms.CharField(label=_("Notation"), max_length=30, required=False)
    issued_on = _date(_("Issue date"))
    issuer_name = forms.CharField(label=_("Issuing agency"), max_length=200)
    issuer_code = forms.CharField(label=_("Issuing agency identifier"), max_length=35, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Summary"), max_length=500, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=50, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    page_count = forms.IntegerField(label=_("Pages"), min_value=1, max_value=100000, required=False)
    due_on = _date(_("Reply due"))
    identifier = forms.CharField(label=_("Document identifier"), max_length=120, required=False)
    main_file = forms.FileField(label=_("Scan or file of the document"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, registers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = registers  # type: ignore[attr-defined]


class SubmitForm(StyledFormMixin, forms.Form):
    leader = forms.TypedChoiceField(label=_("Leader"), coerce=int)
    register = forms.TypedChoiceField(label=_("Register"), coerce=int, required=False)

    def __init__(
        self,
        *args: Any,
        leaders: list[tuple[int, str]],
        registers: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = leaders  # type: ignore[attr-defined]
        if registers is None:
            del self.fields["register"]
        else:
            self.fields["register"].choices = registers  # type: ignore[attr-defined]
            self.fields["register"].required = True
            self.fields["register"].help_text = _("Delivered within egov: give it an arrival number first.")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DirectForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Direction"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.ChoiceField(label=_("Lead handler"), required=False)
    co_handlers = forms.MultipleChoiceField(
        label=_("Co-handlers"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    informed = forms.MultipleChoiceField(
        label=_("For information"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    due_days = forms.IntegerField(
        label=_("Deadline in working days"), min_value=1, max_value=365, required=False
    )
    due_on = _date(_("or deadline date"))

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "—"), *targets]  # type: ignore[attr-defined]
        self.fields["co_handlers"].choices = targets  # type: ignore[attr-defined]
        self.fields["informed"].choices = targets  # type: ignore[attr-defined]

    def leads(self) -> list[str]:
        """Every lead the request named (a tampered form may send two)."""
        key = self.add_prefix("lead")
        values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
        return [v for v in values if v]

    def due(self) -> Any:
        return self.cleaned_data.get("due_days") or self.cleaned_data.get("due_on")


class NoteForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(NoteKind.PROGRESS, NoteKind.PROGRESS.label), (NoteKind.OPINION, NoteKind.OPINION.label)],
    )
    text = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)


class DoneForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Result"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)


class ExtensionForm(StyledFormMixin, forms.Form):
    due_on = _date(_("New deadline"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, choices=[("yes", _("Yes")), ("no", _("No"))]
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DelegationForm(StyledFormMixin, forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    delegate = forms.TypedChoiceField(label=_("Delegate"), coerce=int)
    starts_on = _date(_("From"), required=True)
    ends_on = _date(_("Until (inclusive)"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(
        self, *args: Any, agencies: list[tuple[int, str]], people: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]
        self.fields["delegate"].choices = people  # type: ignore[attr-defined]
