"""The search form of the search page (GET), and the form to save a search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.accounts.models import Role, User
from egov.accounts.permissions import is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.core.forms import StyledFormMixin, validate_plausible_date
from egov.documents.models import DocumentType, DraftState, EntryState, Register
from egov.documents.search.query import SearchQuery
from egov.orgs.models import Unit

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
STATE_CHOICES = [
    ("", pgettext_lazy("document search", "Any state")),
    (pgettext_lazy("document search", "Outgoing documents"), list(DraftState.choices)),
    (pgettext_lazy("document search", "Incoming documents"), list(EntryState.choices)),
]


class DatePickerInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def registers_for(user: Visitor) -> Any:
    """Registers of the agencies where the user holds any role (the register filter's choices)."""
    if is_system_admin(user):
        return Register.objects.select_related("agency").order_by("agency__name", "kind", "name")
    paths = role_paths(user, {str(r) for r in Role})
    units = Unit.objects.in_subtrees(paths)
    ancestors = {int(pk) for p in paths for pk in p.strip("/").split("/") if pk}
    return (
        Register.objects.filter(Q(agency__in=units) | Q(agency_id__in=ancestors))
        .select_related("agency")
        .order_by("agency__name", "kind", "name")
    )


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Words, number or notation"), max_length=200, required=False)
    doc_type = forms.ChoiceField(
        label=pgettext_lazy("document search", "Type"),
        choices=[("", pgettext_lazy("document search", "Any type")), *DocumentType.choices],
        required=False,
    )
    register = forms.ModelChoiceField(
        label=pgettext_lazy("document search", "Register"),
        queryset=Register.objects.none(),
        required=False,
        empty_label=pgettext_lazy("document search", "Any register"),
    )
    issuer = forms.CharField(
        label=pgettext_lazy("document search", "Issuing agency"), max_length=200, required=False
    )
    date_from = forms.DateField(
        label=pgettext_lazy("document search", "Dated from"),
        required=False,
        widget=DatePickerInput(),
        input_formats=DATE_INPUT_FORMATS,
        validators=[validate_plausible_date],
    )
    date_to = forms.DateField(
        label=pgettext_lazy("document search", "Dated until"),
        required=False,
        widget=DatePickerInput(),
        input_formats=DATE_INPUT_FORMATS,
        validators=[validate_plausible_date],
    )
    state = forms.ChoiceField(
        label=pgettext_lazy("document search", "State"), choices=STATE_CHOICES, required=False
    )
    handler = forms.CharField(
        label=_("Handler (user name)"),
        max_length=150,
        required=False,
        help_text=_("Documents assigned to this person."),
    )
    year = forms.IntegerField(
        label=pgettext_lazy("document search", "Year"), min_value=1900, max_value=2199, required=False
    )

    def __init__(self, *args: Any, user: Visitor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers_for(user)  # type: ignore[attr-defined]

    def clean_handler(self) -> User | None:
        name = self.cleaned_data.get("handler", "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No user with this user name."))
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def query(self) -> SearchQuery:
        d = self.cleaned_data
        return SearchQuery(
            q=d.get("q") or "",
            doc_type=d.get("doc_type") or "",
            register_id=d["register"].pk if d.get("register") else None,
            issuer=d.get("issuer") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            state=d.get("state") or "",
            handler_id=d["handler"].pk if d.get("handler") else None,
            year=d.get("year"),
        )


class SaveSearchForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("document search", "Name of the search"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)
