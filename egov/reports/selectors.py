"""Which units a user may report on."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.orgs.models import Unit, UnitQuerySet


def report_units_for(user: Any) -> UnitQuerySet:
    """Units the user may report on: those under any role they hold; everything for system admins."""
    if is_system_admin(user):
        return Unit.objects.all()
    if not is_staff_user(user):
        return Unit.objects.none()
    return Unit.objects.in_subtrees(role_paths(user, {r.value for r in Role}))


def report_unit_get(*, user: Any, pk: int | None = None, code: str = "") -> Unit:
    """A unit by id, or by agency identifier / statistics code (current units first), if the user
    may report on it; 404 otherwise."""
    qs = report_units_for(user)
    if pk is not None:
        unit = qs.filter(pk=pk).first()
    else:
        unit = (
            (
                qs.filter(agency_code=code).order_by("valid_to").first()
                or qs.filter(gso_code=code).order_by("valid_to").first()
            )
            if code
            else None
        )
    if unit is None:
        raise Http404
    return unit
