"""Writing the organisation structure. Every change is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

# orgs is below accounts (a role is held *in* a unit), so its services take any user model, not accounts.types.Actor.
from django.contrib.auth.base_user import AbstractBaseUser as AnyUser
from django.db import transaction
from django.utils.translation import gettext as _

from egov.audit.models import AuditEvent
from egov.audit.services import audit_record, snapshot
from egov.orgs.importing import ImportRejected, ReorgRow, RowError, UnitRow, parse_reorg, parse_units
from egov.orgs.models import AREA_KINDS, SuccessionKind, Unit, UnitKind, UnitLevel, UnitSuccession

_AREA_KIND_BY_LEVEL = {
    UnitLevel.PROVINCE: UnitKind.PROVINCE,
    UnitLevel.DISTRICT: UnitKind.DISTRICT,
    UnitLevel.COMMUNE: UnitKind.COMMUNE,
}
# Agencies sort before sub-areas so a district shows its committee first.
_SORT = {UnitKind.PEOPLES_COMMITTEE: 0, UnitKind.ONE_STOP: 1, UnitKind.DEPARTMENT: 2, UnitKind.DIVISION: 3}


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    level: str,
    parent: Unit | None,
    by: AnyUser | None,
    gso_code: str = "",
    agency_code: str = "",
    unit_type: str = "",
    valid_from: dt.date | None = None,
    sort_order: int | None = None,
) -> Unit:
    """Create a unit under ``parent`` and give it its materialised path."""
    unit = Unit(
        name=name,
        kind=kind,
        level=level,
        parent=parent,
        gso_code=gso_code,
        agency_code=agency_code,
        unit_type=unit_type,
        valid_from=valid_from,
        sort_order=_SORT.get(UnitKind(kind), 10) if sort_order is None else sort_order,
        path="/",
    )
    unit.full_clean(exclude=["path"], validate_constraints=False)
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    audit_record(
        event=AuditEvent.UNIT_CREATED, actor=by, target=unit, scope_path=unit.path, after=snapshot(unit)
    )
    return unit


_EDITABLE = ("name", "gso_code", "agency_code", "unit_type")


@transaction.atomic
def unit_update(*, unit: Unit, by: AnyUser | None, **changes: str) -> Unit:
    """Change a unit's descriptive fields (not its place in the tree: that is a reorganisation)."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} with unit_update")
    before = snapshot(unit, list(_EDITABLE))
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.full_clean()
    unit.save(update_fields=list(changes))
    audit_record(
        event=AuditEvent.UNIT_UPDATED,
        actor=by,
        target=unit,
        scope_path=unit.path,
        before=before,
        after=snapshot(unit, list(_EDITABLE)),
    )
    return unit


@transaction.atomic
def unit_close(*, unit: Unit, on: dt.date, by: AnyUser | None) -> int:
    """Close a unit and every still-open unit below it from ``on``; returns how many closed."""
    closed = 0
    for member in Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).order_by("-path"):
        if member.valid_from is not None and member.valid_from >= on:
            raise ValueError(f"{member} starts on {member.valid_from}, cannot close it on {on}")
        Unit.objects.filter(pk=member.pk).update(valid_to=on)
        audit_record(
            event=AuditEvent.UNIT_CLOSED,
            actor=by,
            target=member,
            scope_path=member.path,
            before={"valid_to": None},
            after={"valid_to": on.isoformat()},
        )
        closed += 1
    return closed


def _create_area_with_agencies(
    row: UnitRow, parent: Unit | None, *, valid_from: dt.date | None, with_agencies: bool, by: AnyUser | None
) -> tuple[Unit, list[Unit]]:
    area = unit_create(
        name=row.name,
        kind=_AREA_KIND_BY_LEVEL[UnitLevel(row.level)],
        level=row.level,
        parent=parent,
        gso_code=row.gso_code,
        unit_type=row.unit_type,
        valid_from=valid_from,
        by=by,
    )
    agencies: list[Unit] = []
    if with_agencies:
        committee = unit_create(
            name=f"Ủy ban nhân dân {_lower_first(row.name)}",
            kind=UnitKind.PEOPLES_COMMITTEE,
            level=row.level,
            parent=area,
            valid_from=valid_from,
            by=by,
        )
        one_stop_name = (
            f"Trung tâm Phục vụ hành chính công {_lower_first(row.name)}"
            if row.level == UnitLevel.PROVINCE
            else f"Bộ phận Một cửa {_lower_first(row.name)}"
        )
        one_stop = unit_create(
            name=one_stop_name,
            kind=UnitKind.ONE_STOP,
            level=row.level,
            parent=committee,
            valid_from=valid_from,
            by=by,
        )
        agencies = [committee, one_stop]
    return area, agencies


@dataclass(frozen=True)
class ImportSummary:
    areas: int
    agencies: int
    successions: int = 0
    closed: int = 0


def _current_areas() -> dict[str, Unit]:
    return {
        u.gso_code: u
        for u in Unit.objects.filter(kind__in=AREA_KINDS, valid_to__isnull=True).exclude(gso_code="")
    }


def _file_digest(content: bytes | str) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def _create_rows(
    rows: list[UnitRow],
    existing: dict[str, Unit],
    *,
    valid_from: dt.date | None,
    with_agencies: bool,
    by: AnyUser | None,
) -> tuple[dict[str, Unit], dict[str, list[Unit]]]:
    created: dict[str, Unit] = {}
    agencies: dict[str, list[Unit]] = {}
    order = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}
    for row in sorted(rows, key=lambda r: (order[UnitLevel(r.level)], r.line)):
        parent = (
            (created.get(row.parent_gso_code) or existing.get(row.parent_gso_code))
            if row.parent_gso_code
            else None
        )
        area, extra = _create_area_with_agencies(
            row, parent, valid_from=valid_from, with_agencies=with_agencies, by=by
        )
        created[row.gso_code] = area
        agencies[row.gso_code] = extra
    return created, agencies


@transaction.atomic
def units_import(
    *, content: bytes | str, by: AnyUser | None, valid_from: dt.date | None = None, with_agencies: bool = True
) -> ImportSummary:
    """Import administrative areas from CSV (gso_code,name,unit_type,level,parent_gso_code).

    Everything is validated first; on any problem ``ImportRejected`` lists every bad line and
    nothing is written. Codes that already exist as current units are refused."""

    existing = _current_areas()
    rows = parse_units(content, known_parent_codes=set(existing))
    clashes = [
        RowError(
            r.line,
            "gso_code",
            _("code %(code)s already belongs to a current unit: %(name)s")
            % {"code": r.gso_code, "name": existing[r.gso_code].name},
        )
        for r in rows
        if r.gso_code in existing
    ]
    if clashes:
        raise ImportRejected(clashes)
    created, agencies = _create_rows(
        rows, existing, valid_from=valid_from, with_agencies=with_agencies, by=by
    )
    summary = ImportSummary(areas=len(created), agencies=sum(len(a) for a in agencies.values()))
    audit_record(
        event=AuditEvent.UNITS_IMPORTED,
        actor=by,
        after={"file_sha256": _file_digest(content), "areas": summary.areas, "agencies": summary.agencies},
    )
    return summary


def _succession_kind(row: ReorgRow, fan_in: int) -> str:
    if row.split != "no":
        return SuccessionKind.SPLIT
    return SuccessionKind.RENAME if fan_in == 1 else SuccessionKind.MERGE


@transaction.atomic
def units_reorganise(
    *,
    replaces: Unit,
    units_content: bytes | str,
    mapping_content: bytes | str,
    effective_on: dt.date,
    by: AnyUser | None,
    legal_basis: str = "",
    with_agencies: bool = True,
) -> ImportSummary:
    """Replace the tree under ``replaces`` with a new structure from ``effective_on``.

    The old units are closed (kept for history), the new ones created, and each old commune is
    linked to its successor(s); split communes keep a default successor for re-attribution.
    Committees and one-stop departments follow their areas."""

    if not replaces.is_area or replaces.valid_to is not None:
        raise ImportRejected([RowError(1, "", _("the replaced unit must be a current administrative area"))])
    old_areas = {
        u.gso_code: u
        for u in Unit.objects.filter(
            path__startswith=replaces.path, kind__in=AREA_KINDS, valid_to__isnull=True
        )
        if u.gso_code
    }
    new_rows = parse_units(units_content)
    mapping = parse_reorg(mapping_content, old_codes=set(old_areas), new_codes={r.gso_code for r in new_rows})
    # Remember each old area's agencies before closing, to link them to their successors.
    old_agencies = {code: _agencies_of(area) for code, area in old_areas.items()}
    closed = unit_close(unit=replaces, on=effective_on, by=by)
    created, new_agencies = _create_rows(
        new_rows, {}, valid_from=effective_on, with_agencies=with_agencies, by=by
    )
    links = 0
    for old_code, new_code, kind, is_default in _succession_pairs(mapping, replaces.gso_code, created):
        links += _link(
            old_areas[old_code],
            created[new_code],
            kind=kind,
            is_default=is_default,
            on=effective_on,
            legal_basis=legal_basis,
            by=by,
        )
        for old_agency, new_agency in _pair_agencies(old_agencies[old_code], new_agencies.get(new_code, [])):
            links += _link(
                old_agency,
                new_agency,
                kind=kind,
                is_default=is_default,
                on=effective_on,
                legal_basis=legal_basis,
                by=by,
            )
    return ImportSummary(
        areas=len(created),
        agencies=sum(len(a) for a in new_agencies.values()),
        successions=links,
        closed=closed,
    )


def _succession_pairs(
    mapping: list[ReorgRow], old_root_code: str, created: dict[str, Unit]
) -> list[tuple[str, str, str, bool]]:
    """(old code, new code, kind, is default successor) for each line of the mapping, and the old
    root to the new one when it keeps its code."""
    fan_in: dict[str, int] = defaultdict(int)
    for row in mapping:
        fan_in[row.new_gso_code] += 1
    pairs = [
        (
            row.old_gso_code,
            row.new_gso_code,
            _succession_kind(row, fan_in[row.new_gso_code]),
            row.split != "part",
        )
        for row in mapping
    ]
    if old_root_code and old_root_code in created:
        pairs.append((old_root_code, old_root_code, SuccessionKind.MERGE, True))
    return pairs


def _agencies_of(area: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=area, kind=UnitKind.PEOPLES_COMMITTEE)) + list(
        Unit.objects.filter(
            parent__parent=area, parent__kind=UnitKind.PEOPLES_COMMITTEE, kind=UnitKind.ONE_STOP
        )
    )


def _pair_agencies(old: list[Unit], new: list[Unit]) -> list[tuple[Unit, Unit]]:
    by_kind = {u.kind: u for u in new}
    return [(o, by_kind[o.kind]) for o in old if o.kind in by_kind]


def _link(
    predecessor: Unit,
    successor: Unit,
    *,
    kind: str,
    is_default: bool,
    on: dt.date,
    legal_basis: str,
    by: AnyUser | None,
) -> int:
    UnitSuccession.objects.create(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        is_default=is_default,
        effective_on=on,
        legal_basis=legal_basis,
    )
    audit_record(
        event=AuditEvent.SUCCESSION_RECORDED,
        actor=by,
        target=predecessor,
        scope_path=predecessor.path,
        after={
            "successor_id": successor.pk,
            "kind": kind,
            "is_default": is_default,
            "effective_on": on.isoformat(),
        },
    )
    return 1
