from __future__ import annotations

from ninja import Router, Schema

from egov.accounts.permissions import is_system_admin
from egov.accounts.selectors import roles_of
from egov.accounts.types import AuthedRequest
from egov.core.api import ErrorOut

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    unit_id: int
    unit_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    kind: str
    is_system_admin: bool
    roles: list[RoleOut]


@router.get("", response={200: MeOut, 401: ErrorOut}, summary="The signed-in user and their roles")
def me(request: AuthedRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "is_system_admin": is_system_admin(user),
        "roles": [{"role": r.role, "unit_id": r.unit_id, "unit_name": r.unit.name} for r in roles_of(user)],
    }
