"""Issue #12: limits and lockout count the person, not the spelling; sign-up's answer time
does not tell whether an account exists."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings

from egov.accounts.models import AccountKind
from egov.accounts.services import user_create
from egov.notifications.models import Notification
from egov.portal.identity.identifiers import identifier_key, identifier_parse

pytestmark = pytest.mark.django_db
STRONG = "mot-mat-khau-rat-dai-2025"

SPELLINGS = [
    "0912345678",
    "+84912345678",
    "84912345678",
    "0912 345 678",
    "0912.345.678",
    "+84 912 345 678",
    "0084 912 345 678",
    "(+84) 912-345-678",
    "０９１２３４５６７８",  # full-width digits, as some phone keyboards type them
]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_spelling_of_a_number_is_one_account(typed: str) -> None:
    assert identifier_parse(typed).username == "+84912345678"
    assert identifier_key(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["An@Mail.VN", " an@mail.vn ", "AN@MAIL.VN"])
def test_every_spelling_of_an_address_is_one_account(typed: str) -> None:
    assert identifier_key(typed) == "an@mail.vn"


def test_an_address_is_compared_in_one_unicode_form() -> None:
    composed, decomposed = "lan@đường.vn", "lan@đu\u031bo\u031b\u0300ng.vn"
    assert identifier_key(composed) == identifier_key(decomposed.upper())


@pytest.mark.parametrize("typed", ["0241234567", "+14155550100", "0912345", "09I2345678", "0912 ABC 678"])
def test_landlines_foreign_and_garbled_numbers_are_refused(typed: str) -> None:
    from egov.portal.identity.identifiers import IdentityError

    with pytest.raises(IdentityError):
        identifier_parse(typed)


def _signup(client: Client, identifier: str) -> Any:
    data = {"identifier": identifier, "full_name": "Lê Văn Nam", "password1": STRONG, "password2": STRONG}
    return client.post("/cong-dan/dang-ky/", data)


def test_sign_up_limit_counts_the_number_not_how_it_was_typed(client: Client) -> None:
    per_identifier = 3
    statuses = [_signup(client, typed).status_code for typed in SPELLINGS[:8]]
    assert statuses == [302] * per_identifier + [429] * (8 - per_identifier)
    assert Notification.objects.filter(kind="portal.signup_code").count() == per_identifier


def test_asking_for_a_new_code_shares_the_limit_whatever_the_spelling(client: Client) -> None:
    assert [_signup(client, typed).status_code for typed in SPELLINGS[:3]] == [302] * 3
    client.post("/cong-dan/dang-ky/gui-lai-ma/", {"identifier": SPELLINGS[3]})
    assert Notification.objects.filter(kind="portal.signup_code").count() == 3


def test_reset_limit_counts_the_number_not_how_it_was_typed(client: Client) -> None:
    statuses = [
        client.post("/cong-dan/quen-mat-khau/", {"identifier": typed}).status_code for typed in SPELLINGS[:5]
    ]
    assert statuses == [302, 302, 302, 429, 429]


def test_lockout_counts_the_citizen_not_how_the_number_was_typed(client: Client, settings: Any) -> None:
    user_create(
        username="+84912345678", full_name="Lê Văn Nam", password=STRONG, kind=AccountKind.CITIZEN, by=None
    )
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post("/accounts/login/", {"username": typed, "password": "sai-mat-khau-roi"}).status_code
        for typed in SPELLINGS[:limit]
    ]
    assert statuses == [200] * (limit - 1) + [429]  # the limit-th failure locks
    # The right password under yet another spelling: the account is locked all the same.
    locked = client.post("/accounts/login/", {"username": SPELLINGS[limit], "password": STRONG})
    assert locked.status_code == 429


class CountingHasher(PBKDF2PasswordHasher):
    """The real PBKDF2 hasher (few iterations, for speed) counting how often it hashes."""

    algorithm = "pbkdf2_sha256_counting"
    iterations = 1000
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        self.calls.append(password)
        return super().encode(password, salt, iterations)


@override_settings(PASSWORD_HASHERS=[f"{__name__}.CountingHasher"])
def test_sign_up_hashes_the_password_whether_or_not_the_account_exists(client: Client) -> None:
    CountingHasher.calls.clear()
    assert _signup(client, "0912345678").status_code == 302  # new account
    new_account = len(CountingHasher.calls)

    user_create(
        username="+84987654321", full_name="Trần Thị Mai", password=STRONG, kind=AccountKind.CITIZEN, by=None
    )
    CountingHasher.calls.clear()
    assert _signup(client, "0987654321").status_code == 302  # existing account: the same answer…
    assert len(CountingHasher.calls) == new_account == 1  # …after the same work
    assert CountingHasher.calls == [STRONG]
