"""Writing people, roles and second factors. Every change is audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import AccountKind, RoleAssignment, User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record, snapshot
from egov.orgs.models import Unit

_USER_FIELDS = ["username", "full_name", "email", "phone", "kind", "is_active", "is_demo", "is_superuser"]


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    by: Any,
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
def user_update(*, user: User, by: Any, **changes: Any) -> User:
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
def user_set_password(*, user: User, password: str, by: Any) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(event=AuditEvent.USER_PASSWORD_SET, actor=by, target=user)


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: Any) -> RoleAssignment:
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
def role_revoke(*, assignment: RoleAssignment, by: Any) -> RoleAssignment:
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


def totp_device_for(user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment if ``token`` matches; the new device replaces older ones."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(event=AuditEvent.OTP_ENROLLED, actor=user, target=user)
    return True


def login_recorded(*, user: User, second_factor: str) -> None:
    audit_record(event=AuditEvent.LOGIN, actor=user, target=user, after={"second_factor": second_factor})
