"""One spelling per person: the phone number or e-mail address a citizen types, normalised.

Every place that looks a citizen up or counts their attempts goes through ``identifier_parse`` or
``identifier_key``: sign-up, the sign-in backend, verification, password reset, the portal rate
limits and the sign-in lockout (``axes_username``). A limit keyed on what was typed could be
walked around by typing one number eight ways (``0912…``, ``+84 912…``, ``84912…``, ``0912.345…``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _

# What people put between digits; letters ("vanity numbers") are not a usual way to write a mobile.
_PHONE_PUNCTUATION = frozenset(" .-()/+\u00a0")
_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


class IdentityError(Exception):
    """A sign-up or reset step that cannot go on; the message is for the citizen."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Identifier:
    """How a citizen names their account: a Vietnamese mobile number or an e-mail address."""

    username: str
    channel: str  # "sms" or "email"
    recipient: str


def phone_e164(raw: str) -> str | None:
    """A Vietnamese mobile number in E.164 (``+84912345678``), or None if ``raw`` is not one.

    Google's libphonenumber (``phonenumbers``, region VN) reads the national ``0``, ``84``,
    ``+84``, ``0084``, ``+84 0…``, any punctuation and non-ASCII digits alike."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if not value or any(not (ch.isdigit() or ch in _PHONE_PUNCTUATION) for ch in value):
        return None
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if (
        phonenumbers.region_code_for_number(number) != "VN"
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_canonical(raw: str) -> tuple[str, str] | None:
    """(account name, address to send to) for an e-mail address, or None if it is not one.

    The account name is the whole address lower-cased in Unicode NFC, so ``An@Mail.VN`` and
    ``an@mail.vn`` (or a domain typed with decomposed diacritics) are one account; messages go
    to the local part as typed, which belongs to the receiving server."""
    value = unicodedata.normalize("NFC", raw.strip())
    try:
        validate_email(value)
    except ValidationError:
        return None
    local, _at, domain = value.rpartition("@")
    return unicodedata.normalize("NFC", value.lower()), f"{local}@{domain.lower()}"


def identifier_parse(raw: str) -> Identifier:
    """``0912 345 678`` and ``+84912345678`` are the same account; so are ``An@Mail.vn`` and ``an@mail.vn``."""
    value = raw or ""
    if "@" in value:
        email = email_canonical(value)
        if email is not None:
            return Identifier(username=email[0], channel="email", recipient=email[1])
    else:
        number = phone_e164(value)
        if number is not None:
            return Identifier(username=number, channel="sms", recipient=number)
    raise IdentityError(
        _("Enter a Vietnamese mobile number (e.g. 0912345678) or an e-mail address."), "identifier"
    )


def identifier_key(raw: str) -> str:
    """What a limit counts: the account name when ``raw`` is a phone or e-mail, otherwise the
    text as Django's sign-in form cleans a username (NFKC, stripped), so staff names still count."""
    try:
        return identifier_parse(raw).username
    except IdentityError:
        return unicodedata.normalize("NFKC", raw or "").strip()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: lock out the account, however its name was typed."""
    from django.conf import settings

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        raw = credentials.get(field) or ""
    elif request is not None:
        raw = getattr(request, "data", request.POST).get(field) or ""
    else:
        raw = ""
    return identifier_key(str(raw))


def phone_display(value: str) -> str:
    """A stored phone number as Vietnamese citizens write it: ``+84912345678`` → ``0912 345 678``.

    Anything that is not a Vietnamese mobile number (an e-mail, a landline typed at the counter)
    comes back unchanged."""
    number = phone_e164(value or "")
    if number is None:
        return value or ""
    national = "0" + number[3:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"
