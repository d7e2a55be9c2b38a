"""Who may see and act on dossiers. Roles cover their unit and every unit below it."""

from __future__ import annotations

from typing import Any

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.dossiers.models import Dossier, DossierStep
from egov.orgs.models import Unit

ALL_ROLES = {r.value for r in Role}


def _covers(paths: list[str], unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in paths)


def can_receive_at(user: Any, unit: Unit) -> bool:
    """One-stop officers receive dossiers at the counters of their units."""
    return is_staff_user(user) and _covers(role_paths(user, {Role.ONE_STOP_OFFICER}), unit)


def receiving_units_for(user: Any) -> list[Unit]:
    paths = role_paths(user, {Role.ONE_STOP_OFFICER})
    if not paths:
        return []
    return list(
        Unit.objects.in_subtrees(paths).filter(kind="one_stop", valid_to__isnull=True).order_by("path")
    )


def can_act_on_step(user: Any, step: DossierStep) -> bool:
    """The person the step is assigned to, or anyone holding the step's role over its unit.
    Heads and leaders over the unit may also act (they can take over a step)."""
    if not is_staff_user(user):
        return False
    if step.assigned_to_id == user.pk:
        return True
    if _covers(role_paths(user, {step.role}), step.unit):
        return True
    return _covers(role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER}), step.unit)


def can_assign(user: Any, step: DossierStep) -> bool:
    return is_staff_user(user) and _covers(
        role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER}), step.unit
    )


def can_manage_dossier(user: Any, dossier: Dossier) -> bool:
    """Supplement, pause, extension, stop, withdrawal: the one-stop officers of the receiving
    unit, and the leaders of the resolving agency."""
    if not is_staff_user(user):
        return False
    return _covers(role_paths(user, {Role.ONE_STOP_OFFICER}), dossier.receiving_unit) or _covers(
        role_paths(user, {Role.AGENCY_LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST}), dossier.resolving_unit
    )


def sees_everything(user: Any) -> bool:
    return is_system_admin(user)


def visible_paths(user: Any) -> list[str]:
    return role_paths(user, ALL_ROLES)
