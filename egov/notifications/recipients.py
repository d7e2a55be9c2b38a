"""Checking and normalising recipients at the edge, before anything is queued."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

_PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers after the 2018 renumbering: 0 + 3/5/7/8/9 + 8 digits.
_VN_MOBILE = re.compile(r"[35789]\d{8}")


def email_normalise(value: str) -> str:
    """The address as we will send to it; ``ValidationError`` if it cannot be an e-mail address."""
    address = value.strip()
    validate_email(address)
    local, _at, domain = address.rpartition("@")
    # The domain part is case-insensitive; the local part belongs to the receiving server.
    return f"{local}@{domain.lower()}"


def phone_normalise(value: str) -> str:
    """A Vietnamese mobile number in international form, e.g. ``0912 345 678`` → ``+84912345678``."""
    number = _PHONE_PUNCTUATION.sub("", value.strip())
    for prefix in ("+84", "0084"):
        if number.startswith(prefix):
            number = number.removeprefix(prefix).removeprefix("0")  # "+84 0912…" is a common slip
            break
    else:
        if number.startswith("84") and len(number) == 11:
            number = number[2:]
        elif number.startswith("0"):
            number = number[1:]
    if not _VN_MOBILE.fullmatch(number):
        raise ValidationError(
            _("Enter a Vietnamese mobile number such as 0912345678 or +84912345678."), code="invalid_phone"
        )
    return f"+84{number}"
