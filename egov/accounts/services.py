"""Writing people, roles and second factors. Every change is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import AccountKind, EnrolmentCode, RoleAssignment, User
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record, snapshot
from egov.core.onetime import onetime_code_try
from egov.orgs.models import Unit

ENROLMENT_CODE_LIFETIME = dt.timedelta(hours=72)
ENROLMENT_CODE_MAX_ATTEMPTS = 5
# 32 symbols without 0/O and 1/I, which are misread when a code is read out over the phone.
_ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

_USER_FIELDS = ["username", "full_name", "email", "phone", "kind", "is_active", "is_demo", "is_superuser"]


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    by: Actor | None,
    password: str | None = None,
    email: str = "",
    phone: str = "",
    kind: str = AccountKind.STAFF,
    is_demo: bool = False,
    is_superuser: bool = False,
    unit_for_scope: Unit | None = None,
) -> User:
    """Create an account. Without a password the account cannot sign in until one is set."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        kind=kind,
        is_demo=is_demo,
        is_superuser=is_superuser,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        event=AuditEvent.USER_CREATED,
        actor=by,
        target=user,
        scope_path=unit_for_scope.path if unit_for_scope else "",
        after=snapshot(user, _USER_FIELDS),
    )
    return user


@transaction.atomic
def user_update(*, user: User, by: Actor | None, **changes: Any) -> User:
    """Change a person's details (name, contact, active flag)."""
    allowed = {"full_name", "email", "phone", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} with user_update")
    before = snapshot(user, _USER_FIELDS)
    for key, value in changes.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changes))
    event = AuditEvent.USER_DEACTIVATED if changes.get("is_active") is False else AuditEvent.USER_UPDATED
    audit_record(event=event, actor=by, target=user, before=before, after=snapshot(user, _USER_FIELDS))
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, by: Actor | None) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(event=AuditEvent.USER_PASSWORD_SET, actor=by, target=user)


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: Actor | None) -> RoleAssignment:
    """Give ``user`` a role in ``unit``; granting a role already held is refused."""
    assignment = RoleAssignment(
        user=user, unit=unit, role=role, granted_by=by if getattr(by, "pk", None) else None
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        event=AuditEvent.ROLE_GRANTED,
        actor=by,
        target=user,
        scope_path=unit.path,
        after={"role": role, "unit_id": unit.pk, "unit": unit.name, "assignment_id": assignment.pk},
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Actor) -> RoleAssignment:
    """End a role; the row stays as history."""
    if assignment.revoked_at is not None:
        return assignment
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = by if getattr(by, "pk", None) else None
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        event=AuditEvent.ROLE_REVOKED,
        actor=by,
        target=assignment.user,
        scope_path=assignment.unit.path,
        before={"role": assignment.role, "unit_id": assignment.unit_id, "assignment_id": assignment.pk},
    )
    return assignment


def enrolment_code_clean(raw: str) -> str:
    """``abcd efgh-jkmn`` as typed → ``ABCDEFGHJKMN`` as issued."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


def _enrolment_hash(user_id: int, code: str) -> str:
    message = f"otp-enrolment:{user_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def otp_enrolment_code_issue(*, user: User, by: Actor | None) -> str:
    """Issue a one-time code with which ``user`` can enrol an authenticator app (a first one, or
    one that replaces a lost phone). Returns the code to show once; only its HMAC is kept, and
    any earlier unused code stops working. Who may issue is ``permissions.can_issue_enrolment_code``."""
    if user.kind != AccountKind.STAFF or not user.is_active:
        raise ValidationError(_("Only active staff accounts use two-factor sign-in."))
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice(_ENROLMENT_ALPHABET) for _i in range(12))
    record = EnrolmentCode.objects.create(
        user=user,
        code_hash=_enrolment_hash(user.pk, code),
        issued_by=by if getattr(by, "pk", None) else None,
        created_at=now,
        expires_at=now + ENROLMENT_CODE_LIFETIME,
    )
    first_unit = RoleAssignment.objects.active().filter(user=user).order_by("unit__path").first()
    audit_record(
        event=AuditEvent.OTP_ENROLMENT_CODE_ISSUED,
        actor=by,
        target=user,
        scope_path=first_unit.unit.path if first_unit else "",
        after={"code_id": record.pk, "expires_at": record.expires_at.isoformat()},
    )
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def otp_enrolment_code_redeem(*, user: User, code: str) -> TOTPDevice | None:
    """Check an enrolment code. On success it is spent and the user gets a fresh, unconfirmed
    TOTP device to scan (older unconfirmed ones, whose secrets may have been seen, are dropped);
    None otherwise. Each try is counted before the comparison, by a conditional update, so
    parallel guesses cannot share a try; after ENROLMENT_CODE_MAX_ATTEMPTS the code is dead."""
    now = timezone.now()
    # Not atomic as a whole: a wrong try must stay counted.
    record = onetime_code_try(
        codes=EnrolmentCode.objects.filter(user=user),
        candidate_hash=_enrolment_hash(user.pk, enrolment_code_clean(code)),
        max_attempts=ENROLMENT_CODE_MAX_ATTEMPTS,
    )
    if record is None:
        return None
    with transaction.atomic():
        if EnrolmentCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now) != 1:
            return None
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
        audit_record(
            event=AuditEvent.OTP_ENROLMENT_CODE_USED, actor=user, target=user, after={"code_id": record.pk}
        )
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment if ``token`` matches; the new device replaces older ones. ``device`` is
    the unconfirmed one an enrolment code gave this user (``otp_enrolment_code_redeem``)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(event=AuditEvent.OTP_ENROLLED, actor=user, target=user)
    return True


def login_recorded(*, user: User, second_factor: str) -> None:
    audit_record(event=AuditEvent.LOGIN, actor=user, target=user, after={"second_factor": second_factor})
