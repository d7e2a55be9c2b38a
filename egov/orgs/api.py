from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from egov.accounts.permissions import is_staff_user
from egov.accounts.selectors import unit_get_for_user
from egov.accounts.types import AuthedRequest
from egov.core.api import OBJECT_ERRORS, SIGNED_IN_ERRORS
from egov.core.schema import Day
from egov.orgs import selectors
from egov.orgs.models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    gso_code: str
    agency_code: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitNodeOut(UnitOut):
    children: list[UnitNodeOut]


class SuccessionOut(Schema):
    successor_id: int
    successor_name: str
    kind: str
    is_default: bool
    effective_on: dt.date


class UnitDetailOut(UnitOut):
    successors: list[SuccessionOut]


def _unit(u: Unit) -> dict[str, object]:
    return {
        "id": u.pk,
        "name": u.name,
        "kind": u.kind,
        "level": u.level,
        "gso_code": u.gso_code,
        "agency_code": u.agency_code,
        "parent_id": u.parent_id,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
    }


def _node(node: selectors.TreeNode) -> dict[str, object]:
    return {**_unit(node.unit), "children": [_node(c) for c in node.children]}


@router.get(
    "/tree", response={200: list[UnitNodeOut], **SIGNED_IN_ERRORS}, summary="Organisation tree as of a date"
)
def units_tree(request: AuthedRequest, as_of: Day | None = None) -> list[dict[str, object]]:
    if not is_staff_user(request.user):
        raise HttpError(403, _("Only staff may read the organisation structure."))
    return [_node(n) for n in selectors.unit_tree(as_of=as_of or timezone.localdate())]


@router.get(
    "/{int:unit_id}", response={200: UnitDetailOut, **OBJECT_ERRORS}, summary="One unit with its successors"
)
def unit_detail(request: AuthedRequest, unit_id: int) -> dict[str, object]:
    unit = unit_get_for_user(user=request.user, pk=unit_id)
    successors = [
        {
            "successor_id": s.successor_id,
            "successor_name": s.successor.name,
            "kind": s.kind,
            "is_default": s.is_default,
            "effective_on": s.effective_on,
        }
        for s in selectors.unit_successors(unit)
    ]
    return {**_unit(unit), "successors": successors}
