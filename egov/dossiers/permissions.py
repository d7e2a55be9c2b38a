"""Who may see dossiers. Roles cover their unit and every unit below it.

Who may *act* on a dossier is decided in one place only: the table in ``egov.dossiers.workflow``."""

from __future__ import annotations

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.dossiers.workflow import is_counter_officer
from egov.orgs.models import Unit, UnitKind

# The roles that handle dossiers, and the auditor (read-only). Administering staff (unit
# administrators) or the catalogue (catalogue officers) gives no sight of anybody's dossier.
DOSSIER_ROLES = frozenset(
    {
        Role.ONE_STOP_OFFICER,
        Role.SPECIALIST,
        Role.HEAD_OF_DIVISION,
        Role.AGENCY_LEADER,
        Role.CLERK,
        Role.AUDITOR,
    }
)


# The auditor reads; only these roles act on dossiers and answer for them.
HANDLING_ROLES = DOSSIER_ROLES - {Role.AUDITOR}


def handles_dossiers_of(user: Visitor, unit: Unit) -> bool:
    """Whether the user holds a dossier-handling role over ``unit`` (not the read-only auditor)."""
    return any(unit.path.startswith(p) for p in role_paths(user, {r.value for r in HANDLING_ROLES}))


def can_receive_at(user: Visitor, unit: Unit) -> bool:
    """One-stop officers receive dossiers at the counters of their units."""
    return is_counter_officer(user, unit)


def receiving_units_for(user: Visitor) -> list[Unit]:
    paths = role_paths(user, {Role.ONE_STOP_OFFICER})
    if not paths:
        return []
    return list(
        Unit.objects.in_subtrees(paths).filter(kind=UnitKind.ONE_STOP, valid_to__isnull=True).order_by("path")
    )


def sees_everything(user: Visitor) -> bool:
    return is_system_admin(user)


def visible_paths(user: Visitor) -> list[str]:
    """Subtrees whose dossiers the user may read: only where they hold a dossier role."""
    if not is_staff_user(user):
        return []
    return role_paths(user, {r.value for r in DOSSIER_ROLES})
