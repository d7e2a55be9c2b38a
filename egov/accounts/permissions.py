"""Who may do what. A role held in a unit covers that unit and every unit below it."""

from __future__ import annotations

from typing import Any

from egov.accounts.models import AccountKind, Role, RoleAssignment
from egov.orgs.models import Unit


def _is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_user(user: Any) -> bool:
    return _is_signed_in(user) and user.kind == AccountKind.STAFF


def is_system_admin(user: Any) -> bool:
    if not is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.active().filter(user=user, role=Role.SYSTEM_ADMIN).exists()


def role_paths(user: Any, roles: set[str]) -> list[str]:
    """Materialised paths of the units where the user holds any of ``roles``."""
    if not is_staff_user(user):
        return []
    cache: dict[frozenset[str], list[str]] = user.__dict__.setdefault("_egov_role_paths", {})
    key = frozenset(roles)
    if key not in cache:
        cache[key] = sorted(
            set(
                RoleAssignment.objects.active()
                .filter(user=user, role__in=roles)
                .values_list("unit__path", flat=True)
            )
        )
    return cache[key]


def managed_unit_paths(user: Any) -> list[str]:
    return role_paths(user, {Role.UNIT_ADMIN})


def can_manage_staff_of(user: Any, unit: Unit) -> bool:
    """Unit administrators manage the staff of their unit and the units below it."""
    if is_system_admin(user):
        return True
    return any(unit.path.startswith(path) for path in managed_unit_paths(user))


def can_manage_units(user: Any) -> bool:
    """Creating, closing and importing units is a province-wide (system administrator) power."""
    return is_system_admin(user)


def can_read_audit(user: Any) -> bool:
    return is_system_admin(user) or bool(role_paths(user, {Role.AUDITOR}))


def audit_scope_paths(user: Any) -> list[str] | None:
    """None means everything (system administrators); otherwise the auditor's subtrees."""
    if is_system_admin(user):
        return None
    return role_paths(user, {Role.AUDITOR})


def grantable_roles(user: Any) -> list[str]:
    """Only system administrators can make other system administrators."""
    roles = [r.value for r in Role]
    if is_system_admin(user):
        return roles
    return [r for r in roles if r != Role.SYSTEM_ADMIN]


def can_issue_enrolment_code(user: Any, person: Any) -> bool:
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
