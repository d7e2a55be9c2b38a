"""Who may do what. A role held in a unit covers that unit and every unit below it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from egov.accounts.models import AccountKind, Role, RoleAssignment, User
from egov.accounts.types import Visitor
from egov.orgs.models import Unit


def _is_signed_in(user: Visitor) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _staff(user: Visitor) -> User | None:
    """The user when a signed-in, active staff member; otherwise None."""
    if not _is_signed_in(user) or isinstance(user, AnonymousUser):
        return None
    return user if user.kind == AccountKind.STAFF else None


def is_staff_user(user: Visitor) -> bool:
    return _staff(user) is not None


def is_system_admin(user: Visitor) -> bool:
    staff = _staff(user)
    if staff is None:
        return False
    if staff.is_superuser:
        return True
    return RoleAssignment.objects.active().filter(user=staff, role=Role.SYSTEM_ADMIN).exists()


def role_paths(user: Visitor, roles: set[str]) -> list[str]:
    """Materialised paths of the units where the user holds any of ``roles``."""
    staff = _staff(user)
    if staff is None:
        return []
    cache: dict[frozenset[str], list[str]] = staff.__dict__.setdefault("_egov_role_paths", {})
    key = frozenset(roles)
    if key not in cache:
        cache[key] = sorted(
            set(
                RoleAssignment.objects.active()
                .filter(user=staff, role__in=roles)
                .values_list("unit__path", flat=True)
            )
        )
    return cache[key]


def managed_unit_paths(user: Visitor) -> list[str]:
    return role_paths(user, {Role.UNIT_ADMIN})


def can_manage_staff_of(user: Visitor, unit: Unit) -> bool:
    """Unit administrators manage the staff of their unit and the units below it."""
    if is_system_admin(user):
        return True
    return any(unit.path.startswith(path) for path in managed_unit_paths(user))


def can_manage_units(user: Visitor) -> bool:
    """Creating, closing and importing units is a province-wide (system administrator) power."""
    return is_system_admin(user)


def can_read_audit(user: Visitor) -> bool:
    return is_system_admin(user) or bool(role_paths(user, {Role.AUDITOR}))


def audit_scope_paths(user: Visitor) -> list[str] | None:
    """None means everything (system administrators); otherwise the auditor's subtrees."""
    if is_system_admin(user):
        return None
    return role_paths(user, {Role.AUDITOR})


def grantable_roles(user: Visitor) -> list[str]:
    """Only system administrators can make other system administrators."""
    roles = [r.value for r in Role]
    if is_system_admin(user):
        return roles
    return [r for r in roles if r != Role.SYSTEM_ADMIN]


def can_issue_enrolment_code(user: Visitor, person: User) -> bool:
    """Unit administrators issue two-factor enrolment codes for the staff they manage; never
    for themselves (a stolen session must not be able to add a phone), and for a system
    administrator only another system administrator may."""
    if not is_staff_user(user) or person is None or person.pk == user.pk:
        return False
    if person.kind != AccountKind.STAFF or not person.is_active:
        return False
    if is_system_admin(person) and not is_system_admin(user):
        return False
    if is_system_admin(user):
        return True
    units = RoleAssignment.objects.active().filter(user=person).select_related("unit")
    return any(can_manage_staff_of(user, a.unit) for a in units)
