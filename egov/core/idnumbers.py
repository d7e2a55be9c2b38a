"""Identity numbers as Vietnam issues them, checked the same way on every form and in the API.

A person has a 9-digit identity card number (CMND, old) or a 12-digit citizen identity number
(CCCD / personal identification number, Circular 07/2016/TT-BCA, amended by 59/2021/TT-BCA):
3 digits for the province or city where the birth was registered, 1 digit for gender and century
of birth, 2 digits for the year of birth, 6 random digits. A business, cooperative or
organisation applies with its 10-digit enterprise (tax) code, a branch with ``-`` and 3 digits."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

# Province codes of the CCCD as published (Circular 07/2016/TT-BCA, annex): 63 of 001–096.
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
# Gender and century digit: 0/1 born 1900–1999 (male/female), 2/3 2000–2099, 4/5 2100–2199,
# 6/7 2200–2299, 8/9 1800–1899.
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}
_ENTERPRISE = re.compile(r"\d{10}(-\d{3})?")


def cccd_problem(number: str) -> str | None:
    """Why a 12-digit number is not a citizen identity number, or None when it can be one."""
    if number[:3] not in PROVINCE_CODES:
        return _("The first 3 digits (%(code)s) are not a province code of a citizen identity number.") % {
            "code": number[:3]
        }
    born = _CENTURY[int(number[3])] + int(number[4:6])
    if born > timezone.localdate().year:
        return _("Digits 4–6 (%(digits)s) would give a year of birth in the future; check the number.") % {
            "digits": number[3:6]
        }
    return None


def validate_id_number(value: str) -> None:
    """Django validator for "ID card or registration number" fields (an empty value is left to
    ``required``)."""
    number = (value or "").strip()
    if not number:
        return
    if number.isdigit() and len(number) == 12:
        problem = cccd_problem(number)
        if problem:
            raise ValidationError(problem, code="invalid")
        return
    if number.isdigit() and len(number) == 9:
        return
    if _ENTERPRISE.fullmatch(number):
        return
    raise ValidationError(
        _(
            "Enter a 12-digit citizen identity number (CCCD), a 9-digit identity card number (CMND) "
            "or a 10-digit enterprise code."
        ),
        code="invalid",
    )


def id_number_api(value: str) -> str:
    """The same check for the API's schemas (pydantic ``AfterValidator``)."""
    try:
        validate_id_number(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return value


ID_NUMBER_CHECK = AfterValidator(id_number_api)
"""For API schemas: ``Annotated[Line, Field(max_length=30), ID_NUMBER_CHECK]``."""
