"""Forms of the citizen sign-up, confirmation and password reset pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.core.forms import StyledFormMixin
from egov.portal.identity.identifiers import IdentityError, identifier_parse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IdentifierField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mobile phone number or e-mail"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            try:
                identifier_parse(value)
            except IdentityError as exc:
                raise forms.ValidationError(str(exc)) from None


CODE = forms.RegexField(
    label=_("6-digit code we sent you"),
    regex=r"^\s*\d{6}\s*$",
    max_length=12,
    error_messages={"invalid": _("Enter the 6 digits of the code.")},
    widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
)


class _NewPasswordMixin:
    """Two password fields that must match and pass the password rules."""

    cleaned_data: dict[str, Any]

    def _check_passwords(self, form: forms.Form, username: str, full_name: str = "") -> None:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            form.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, User(username=username, full_name=full_name))
            except forms.ValidationError as exc:
                form.add_error("password1", exc)


def _password(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SignupForm(_NewPasswordMixin, StyledFormMixin, forms.Form):
    identifier = IdentifierField(
        help_text=_("You sign in with it; we send a code to confirm that it is yours.")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = _password(_("Password"), _("At least 10 characters, not only digits."))
    password2 = _password(_("Password again"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_passwords(self, cleaned.get("identifier", ""), cleaned.get("full_name", ""))
        return cleaned


class VerifyForm(StyledFormMixin, forms.Form):
    identifier = IdentifierField()
    code = CODE


class ResendForm(forms.Form):
    identifier = IdentifierField()


class ResetRequestForm(StyledFormMixin, forms.Form):
    identifier = IdentifierField(help_text=_("The phone number or e-mail you signed up with."))


class ResetConfirmForm(_NewPasswordMixin, StyledFormMixin, forms.Form):
    identifier = IdentifierField()
    code = CODE
    password1 = _password(_("New password"), _("At least 10 characters, not only digits."))
    password2 = _password(_("New password again"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_passwords(self, cleaned.get("identifier", ""))
        return cleaned


class SigninForm(StyledFormMixin, forms.Form):
    """The portal's own sign-in form, so that a wrong password is explained on this page."""

    username = forms.CharField(
        label=_("Mobile phone number or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
