"""Citizen accounts: sign-up confirmed by a 6-digit code, password reset by code.

Everything an identity provider would replace lives in this package (services, forms, views,
the sign-in backend). When the national identity provider (OIDC) arrives, its callback finds or
creates the citizen and calls ``citizen_profile_ensure``; the rest of the portal only ever sees
a signed-in user of kind "citizen"."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import AccountKind, User
from egov.accounts.services import user_create, user_set_password, user_update
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.core.onetime import onetime_code_try
from egov.notifications.services import notification_send
from egov.portal.identity.identifiers import Identifier, identifier_parse
from egov.portal.identity.identifiers import IdentityError as IdentityError
from egov.portal.models import CitizenProfile, CodePurpose, VerificationCode

CODE_LIFETIME = dt.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5


def _citizen(ident: Identifier) -> User | None:
    return User.objects.filter(username=ident.username, kind=AccountKind.CITIZEN).first()


def _is_pending(user: User) -> bool:
    """Signed up but never confirmed: inactive and without the profile confirmation creates."""
    return not user.is_active and not CitizenProfile.objects.filter(user=user).exists()


def _code_hash(user_id: int, purpose: str, code: str) -> str:
    message = f"{user_id}:{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _send(ident: Identifier, kind: str, subject: str, body: str) -> None:
    notification_send(
        kind=kind,
        subject=subject,
        body=body,
        email=ident.recipient if ident.channel == "email" else "",
        phone=ident.recipient if ident.channel == "sms" else "",
    )


def _issue(user: User, purpose: str, ident: Identifier) -> None:
    """A fresh code replaces any earlier unused one of the same purpose."""
    now = timezone.now()
    VerificationCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    VerificationCode.objects.create(
        user=user,
        purpose=purpose,
        recipient=ident.recipient,
        code_hash=_code_hash(user.pk, purpose, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    if purpose == CodePurpose.SIGNUP:
        subject = _("Your egov verification code")
        body = _("Your code to confirm your egov account is %(code)s. It is valid for %(m)s minutes.")
    else:
        subject = _("Your egov password reset code")
        body = _(
            "Your code to set a new egov password is %(code)s. It is valid for %(m)s minutes. "
            "If you did not ask for it, ignore this message."
        )
    _send(ident, f"portal.{purpose}_code", subject, body % {"code": code, "m": minutes})


def _consume(user: User | None, purpose: str, code: str) -> bool:
    """Check a code against the latest one issued. Each try is counted before the comparison
    (a conditional update), so parallel guesses cannot share one attempt."""
    if user is None:
        _code_hash(0, purpose, code)  # spend the same time as for a real account
        return False
    record = onetime_code_try(
        codes=VerificationCode.objects.filter(user=user, purpose=purpose),
        candidate_hash=_code_hash(user.pk, purpose, code.strip()),
        max_attempts=CODE_MAX_ATTEMPTS,
    )
    if record is None:
        return False
    return (
        VerificationCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=timezone.now())
        == 1
    )


@transaction.atomic
def citizen_signup(*, identifier: str, full_name: str, password: str) -> None:
    """Create a citizen account, inactive until the code sent to the phone or e-mail is entered.

    The answer never says whether the number or address already has an account: its owner is
    told by message instead, so the sign-up page cannot be used to find out who has one."""
    ident = identifier_parse(identifier)
    validate_password(password, User(username=ident.username, full_name=full_name))
    user = User.objects.filter(username=ident.username).first()
    if user is None:
        user = user_create(
            username=ident.username,
            full_name=full_name.strip(),
            password=password,
            email=ident.recipient if ident.channel == "email" else "",
            phone=ident.recipient if ident.channel == "sms" else "",
            kind=AccountKind.CITIZEN,
            by=None,
        )
        user_update(user=user, by=None, is_active=False)
    elif user.kind == AccountKind.CITIZEN and _is_pending(user):
        # An unfinished sign-up: whoever receives the new code finishes it, with the new password.
        user_set_password(user=user, password=password, by=None)
        user_update(user=user, by=None, full_name=full_name.strip())
    else:
        # Hash the password anyway: without it this answer came back in a few milliseconds
        # against half a second for a new account, which told who already has one.
        make_password(password)
        _send(
            ident,
            "portal.signup_exists",
            _("egov: someone tried to create an account"),
            _(
                "Someone tried to create an egov account with this contact, which already has one. "
                "If it was you, sign in or reset your password."
            ),
        )
        return
    _issue(user, CodePurpose.SIGNUP, ident)


@transaction.atomic
def citizen_signup_resend(*, identifier: str) -> None:
    """Send a new code for an unfinished sign-up (and, like sign-up, say nothing otherwise)."""
    ident = identifier_parse(identifier)
    user = _citizen(ident)
    if user is not None and _is_pending(user):
        _issue(user, CodePurpose.SIGNUP, ident)


def citizen_verify(*, identifier: str, code: str) -> User:
    """Enter the sign-up code: the account becomes active and gets its profile."""
    ident = identifier_parse(identifier)
    user = _citizen(ident)
    # Not atomic as a whole: a wrong try must stay counted although we raise.
    if not _consume(user, CodePurpose.SIGNUP, code) or user is None:
        raise IdentityError(_("The code is wrong or has expired. Check it, or ask for a new code."), "code")
    with transaction.atomic():
        if not user.is_active:
            user_update(user=user, by=None, is_active=True)
        citizen_profile_ensure(user=user)
        audit_record(
            event=AuditEvent.PORTAL_ACCOUNT_VERIFIED,
            actor=user,
            target=user,
            after={"channel": ident.channel},
        )
    return user


@transaction.atomic
def citizen_profile_ensure(*, user: User) -> CitizenProfile:
    """The citizen's profile, created from the account's name and contact the first time."""
    profile, _created = CitizenProfile.objects.get_or_create(
        user=user, defaults={"full_name": user.full_name, "phone": user.phone, "email": user.email}
    )
    return profile


@transaction.atomic
def password_reset_request(*, identifier: str) -> None:
    """Send a reset code if an active citizen account has this phone or e-mail; silent otherwise."""
    ident = identifier_parse(identifier)
    user = _citizen(ident)
    if user is not None and user.is_active:
        _issue(user, CodePurpose.RESET, ident)


def password_reset_confirm(*, identifier: str, code: str, password: str) -> User:
    """Set a new password with the code that was sent."""
    ident = identifier_parse(identifier)
    user = _citizen(ident)
    validate_password(password, user or User(username=ident.username))
    if not _consume(user, CodePurpose.RESET, code) or user is None or not user.is_active:
        raise IdentityError(_("The code is wrong or has expired. Check it, or ask for a new code."), "code")
    user_set_password(user=user, password=password, by=user)
    return user
