from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role, User
from egov.core.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown in the app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolmentCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Enrolment code from your unit administrator"),
        max_length=40,
        help_text=_("12 letters and digits, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class StaffCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-z0-9._-]{3,150}$",
        max_length=150,
        error_messages={"invalid": _("Use 3–150 lower-case letters, digits, dots, hyphens or underscores.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(
        label=_("Phone number"),
        regex=r"^\+?[0-9 .]{8,20}$",
        required=False,
        error_messages={"invalid": _("Enter a phone number of 8–20 digits.")},
    )
    role = forms.ChoiceField(label=_("First role in this unit"), choices=())
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=True),
        strip=False,
        help_text=_(
            "At least 10 characters. For two-factor sign-in the person also needs an enrolment code: "
            "issue it on their page."
        ),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r, Role(r).label) for r in roles]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            try:
                validate_password(
                    password,
                    User(username=cleaned.get("username", ""), full_name=cleaned.get("full_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class RoleGrantForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=())
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, units: list[tuple[int, str]], roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r, Role(r).label) for r in roles]


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's sign-in form with our styling; axes counts failures through authenticate()."""
