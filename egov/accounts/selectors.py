"""Reading people and roles, always scoped to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from egov.accounts.models import EnrolmentCode, RoleAssignment, User
from egov.accounts.permissions import can_manage_staff_of, is_staff_user, is_system_admin, managed_unit_paths
from egov.accounts.types import Visitor
from egov.orgs.models import Unit, UnitQuerySet


def staff_visible_to(user: Visitor) -> QuerySet[User]:
    """People the user may manage: anyone holding a role in a unit the user administers."""
    if is_system_admin(user):
        return User.objects.all()
    paths = managed_unit_paths(user)
    if not paths:
        return User.objects.none()
    units = Unit.objects.in_subtrees(paths)
    return User.objects.filter(roles__unit__in=units, roles__revoked_at__isnull=True).distinct()


def user_get_for_manager(*, user: Visitor, pk: int) -> User:
    return get_object_or_404(staff_visible_to(user), pk=pk)


def role_assignments_for_unit(*, unit: Unit) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.active()
        .filter(unit=unit)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


def role_assignment_get_for_manager(*, user: Visitor, pk: int) -> RoleAssignment:

    assignment = get_object_or_404(RoleAssignment.objects.active().select_related("unit", "user"), pk=pk)
    if not can_manage_staff_of(user, assignment.unit):
        raise Http404
    return assignment


def roles_of(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user).select_related("unit").order_by("unit__path")


def second_factor_status(*, person: User) -> dict[str, Any]:
    """For the staff page: whether the person has an authenticator app, and until when an
    unused enrolment code waits for them (None if none)."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    live = (
        EnrolmentCode.objects.filter(user=person, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    return {
        "enrolled": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "code_expires_at": live,
    }


def unit_visible_queryset(user: Visitor) -> UnitQuerySet:
    """Every staff account may read the organisation structure (needed to route work); citizens see none here."""
    if not is_staff_user(user):
        return Unit.objects.none()
    return Unit.objects.all()


def unit_get_for_user(*, user: Visitor, pk: int) -> Unit:
    return get_object_or_404(unit_visible_queryset(user), pk=pk)


def unit_get_for_manager(*, user: Visitor, pk: int) -> Unit:
    """A unit whose staff the user may manage; 404 otherwise, never 403, so ids do not leak."""
    unit = unit_get_for_user(user=user, pk=pk)
    if not can_manage_staff_of(user, unit):
        raise Http404
    return unit
