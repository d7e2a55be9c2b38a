"""Who may change the catalogue: catalogue officers (anywhere) and system administrators."""

from __future__ import annotations

from typing import Any

from egov.accounts.models import Role
from egov.accounts.permissions import is_system_admin, role_paths


def can_edit_catalogue(user: Any) -> bool:
    return is_system_admin(user) or bool(role_paths(user, {Role.CATALOGUE_OFFICER}))
