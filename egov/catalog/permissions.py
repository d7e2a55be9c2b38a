"""Who may change the catalogue: catalogue officers (anywhere) and system administrators."""

from __future__ import annotations

from egov.accounts.models import Role
from egov.accounts.permissions import is_system_admin, role_paths
from egov.accounts.types import Visitor


def can_edit_catalogue(user: Visitor) -> bool:
    return is_system_admin(user) or bool(role_paths(user, {Role.CATALOGUE_OFFICER}))
