"""Recipients are checked and normalised before anything is queued."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from egov.notifications.recipients import email_normalise, phone_normalise


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "+84912345678",
        "84912345678",
        "0084912345678",
        "0912 345 678",
        "091.234.5678",
        "0912-345-678",
        "+84 (0) 912 345 678",
    ],
)
def test_vietnamese_mobile_numbers_are_normalised_to_plus_84(typed: str) -> None:
    assert phone_normalise(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["0356789012", "0587654321", "0701234567", "0861234567", "0987654321"])
def test_every_mobile_prefix_is_accepted(typed: str) -> None:
    assert phone_normalise(typed) == "+84" + typed[1:]


@pytest.mark.parametrize(
    "typed",
    ["12345", "0912", "09123456789", "0243826xxxx", "02438261234", "+1 202 555 0100", "0112345678", "phone"],
)
def test_other_numbers_are_refused_with_a_clear_message(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        phone_normalise(typed)
    assert "0912345678" in caught.value.messages[0]


def test_email_addresses_are_trimmed_and_their_domain_lower_cased() -> None:
    assert email_normalise("  Chi.Nguyen@Example.VN ") == "Chi.Nguyen@example.vn"


@pytest.mark.parametrize(
    "typed", ["chi@", "chi nguyen@example.vn", "chi@example.vn\nBcc: x@y.vn", "0912345678"]
)
def test_invalid_email_addresses_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        email_normalise(typed)
