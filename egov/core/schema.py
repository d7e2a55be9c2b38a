"""Bounded, cleaned types for the API's input schemas: bad input is a 422 at the edge, never a
database error (NUL on PostgreSQL, a too-long value, a negative count) or an overflow deep inside.

Bound every string as long as its model column: ``Annotated[Line, Field(max_length=255)]``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field

from egov.core.text import clean_text


def _line(value: Any) -> Any:
    return clean_text(value, multiline=False).strip() if isinstance(value, str) else value


def _block(value: Any) -> Any:
    return clean_text(value).strip() if isinstance(value, str) else value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Enter a valid e-mail address.")) from None
    return value


# Dates far from today are typing mistakes, and the year 9999 overflows date arithmetic
# (working-day calendars, time zones) inside the services.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def _day(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(_("Enter a date between 1900 and 2199."))
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    _day(value.date())
    return value


Line = Annotated[str, BeforeValidator(_line)]
"""One line (names, codes, numbers): cleaned, line breaks as spaces, trimmed."""
Block = Annotated[str, BeforeValidator(_block)]
"""Multi-line text (reasons, notes, lists): cleaned, trimmed."""
Email = Annotated[Line, Field(max_length=254), AfterValidator(_email)]
Count = Annotated[int, Field(ge=0, le=32767)]
"""A number of copies (PositiveSmallIntegerField)."""
Amount = Annotated[int, Field(ge=0, le=999_999_999_999)]
"""An amount in VND: below a trillion, well inside PositiveBigIntegerField."""
Day = Annotated[dt.date, AfterValidator(_day)]
Moment = Annotated[dt.datetime, AfterValidator(_moment)]
