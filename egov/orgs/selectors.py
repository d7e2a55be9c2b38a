"""Reading the organisation tree.

Nothing here depends on who asks: the user-scoped unit reads (``unit_get_for_user``,
``unit_get_for_manager``) are in ``egov.accounts.selectors``, because they need roles and
accounts is built on orgs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from egov.orgs.models import Unit, UnitSuccession


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)


def unit_tree(*, as_of: dt.date, root_ids: list[int] | None = None) -> list[TreeNode]:
    """The units valid on ``as_of`` as a forest, one query, ordered by kind then name."""
    units = list(Unit.objects.valid_on(as_of).order_by("sort_order", "name"))
    nodes = {u.pk: TreeNode(unit=u) for u in units}
    roots: list[TreeNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    if root_ids is not None:
        roots = [nodes[i] for i in root_ids if i in nodes]
    return roots


def unit_by_code(code: str, *, as_of: dt.date | None = None) -> Unit | None:
    """Find a unit by agency identifier or statistics code (current units win)."""
    qs = Unit.objects.all()
    if as_of is not None:
        qs = qs.valid_on(as_of)
    for lookup in ({"agency_code": code}, {"gso_code": code}):
        unit = qs.filter(**lookup).order_by("valid_to", "kind").first()
        if unit is not None:
            return unit
    return None


def unit_successors(unit: Unit) -> list[UnitSuccession]:
    return list(unit.successions.select_related("successor").order_by("-is_default", "successor__name"))


def unit_predecessors(unit: Unit) -> list[UnitSuccession]:
    return list(unit.predecessions.select_related("predecessor").order_by("predecessor__name"))


def unit_ancestors(unit: Unit) -> list[Unit]:
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id and i != unit.pk]


def last_reorganisation() -> dt.date | None:
    """The day the most recent reorganisation took effect (None if units never changed)."""
    from django.db.models import Max

    day: dt.date | None = UnitSuccession.objects.aggregate(day=Max("effective_on"))["day"]
    return day
