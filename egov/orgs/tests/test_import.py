from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from egov.audit.models import AuditEntry, AuditEvent
from egov.audit.services import audit_verify
from egov.orgs import selectors, services
from egov.orgs.importing import ImportRejected
from egov.orgs.models import SuccessionKind, Unit, UnitKind

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
KG = (DATA / "kien-giang-2021-units.csv").read_bytes()
AG = (DATA / "an-giang-2025-units.csv").read_bytes()
REORG = (DATA / "reorg-2025-kien-giang-to-an-giang.csv").read_bytes()
REORG_DAY = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_province_import_creates_areas_with_committee_and_one_stop() -> None:
    summary = services.units_import(content=KG, valid_from=dt.date(2008, 1, 1), by=None)
    assert summary.areas == 159  # 1 province, 15 district-level units, 143 communes
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 15
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 143
    rach_gia = Unit.objects.get(gso_code="899")
    assert rach_gia.parent == Unit.objects.get(gso_code="91")
    committee = Unit.objects.get(parent=rach_gia, kind=UnitKind.PEOPLES_COMMITTEE)
    assert committee.name == "Ủy ban nhân dân thành phố Rạch Giá"
    assert Unit.objects.filter(parent=committee, kind=UnitKind.ONE_STOP).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.UNITS_IMPORTED).count() == 1
    assert audit_verify().ok


BAD = """gso_code,name,unit_type,level,parent_gso_code
1,Tỉnh X,Tỉnh,province,
10,Huyện Y,Huyện,hamlet,1
11,,Xã,commune,99
11,Xã Z,Xã,commune,10
abc,Xã W,Xã,commune,10
"""


@pytest.mark.django_db
def test_bad_file_reports_every_line_and_imports_nothing() -> None:
    with pytest.raises(ImportRejected) as caught:
        services.units_import(content=BAD, by=None)
    problems = {(e.line, e.column) for e in caught.value.errors}
    assert {(3, "level"), (4, "name"), (4, "parent_gso_code"), (5, "gso_code"), (6, "gso_code")} <= problems
    assert Unit.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "column"),
    [
        ("gso_code,name\n1,X\n", "unit_type, level, parent_gso_code"),
        (b"gso_code,name,unit_type,level,parent_gso_code\n" + "1,Tỉnh,T,province,\n".encode("utf-16"), ""),
        ("gso_code,name,unit_type,level,parent_gso_code\n", ""),
    ],
)
def test_malformed_files_are_rejected(content: str | bytes, column: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        services.units_import(content=content, by=None)
    assert caught.value.errors[0].column == column
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_importing_an_existing_code_again_is_refused() -> None:
    services.units_import(content=KG, by=None)
    with pytest.raises(ImportRejected):
        services.units_import(content=KG, by=None)
    assert Unit.objects.filter(gso_code="91").count() == 1


@pytest.fixture
def reorganised(db: None) -> None:
    services.units_import(content=KG, valid_from=dt.date(2008, 1, 1), by=None)
    old_province = Unit.objects.get(gso_code="91", kind=UnitKind.PROVINCE)
    services.units_reorganise(
        replaces=old_province,
        units_content=AG,
        mapping_content=REORG,
        effective_on=REORG_DAY,
        legal_basis="Nghị quyết 202/2025/QH15",
        by=None,
    )


def _root_names(day: dt.date) -> list[str]:
    return [n.unit.name for n in selectors.unit_tree(as_of=day)]


def test_tree_as_of_shows_the_structure_in_force(reorganised: None) -> None:
    assert _root_names(dt.date(2021, 6, 1)) == ["Tỉnh Kiên Giang"]
    assert _root_names(REORG_DAY) == ["Tỉnh An Giang"]
    new_root = selectors.unit_tree(as_of=dt.date(2026, 1, 1))[0]
    areas = [c for c in new_root.children if c.unit.kind == UnitKind.COMMUNE]
    assert len(areas) == 102  # two-level government: communes sit directly under the province
    old_root = selectors.unit_tree(as_of=dt.date(2025, 6, 30))[0]
    assert len([c for c in old_root.children if c.unit.kind == UnitKind.DISTRICT]) == 15


def test_merged_communes_point_to_their_successor(reorganised: None) -> None:
    hon_tre = Unit.objects.get(gso_code="31108", kind=UnitKind.COMMUNE, valid_to=REORG_DAY)
    (link,) = selectors.unit_successors(hon_tre)
    assert link.successor.name == "Đặc khu Kiên Hải"
    assert link.kind == SuccessionKind.MERGE
    old_committee = Unit.objects.get(parent=hon_tre, kind=UnitKind.PEOPLES_COMMITTEE)
    assert selectors.unit_successors(old_committee)[0].successor.name == "Ủy ban nhân dân đặc khu Kiên Hải"


@pytest.mark.django_db
def test_split_commune_has_exactly_one_default_successor() -> None:
    services.units_import(
        content="gso_code,name,unit_type,level,parent_gso_code\n1,Tỉnh P,Tỉnh,province,\n10,Huyện H,Huyện,district,1\n"
        "11,Xã Cũ,Xã,commune,10\n12,Xã Khác,Xã,commune,10\n",
        by=None,
    )
    new_units = (
        "gso_code,name,unit_type,level,parent_gso_code\n1,Tỉnh P,Tỉnh,province,\n"
        "21,Xã Mới Một,Xã,commune,1\n22,Phường Mới Hai,Phường,commune,1\n"
    )
    mapping = (
        "old_gso_code,old_name,new_gso_code,new_name,split\n11,Xã Cũ,21,Xã Mới Một,default\n"
        "11,Xã Cũ,22,Phường Mới Hai,part\n12,Xã Khác,22,Phường Mới Hai,no\n"
    )
    services.units_reorganise(
        replaces=Unit.objects.get(gso_code="1"),
        units_content=new_units,
        mapping_content=mapping,
        effective_on=REORG_DAY,
        by=None,
    )
    old = Unit.objects.get(gso_code="11", kind=UnitKind.COMMUNE)
    links = selectors.unit_successors(old)
    assert [(link.successor.gso_code, link.kind, link.is_default) for link in links] == [
        ("21", SuccessionKind.SPLIT, True),
        ("22", SuccessionKind.SPLIT, False),
    ]
    other = selectors.unit_successors(Unit.objects.get(gso_code="12", kind=UnitKind.COMMUNE))
    assert [(link.successor.gso_code, link.kind) for link in other] == [("22", SuccessionKind.MERGE)]


def test_old_units_are_closed_not_deleted(reorganised: None) -> None:
    assert Unit.objects.filter(gso_code="899", valid_to=REORG_DAY).exists()
    assert not Unit.objects.filter(valid_to__isnull=True, valid_from__lt=REORG_DAY).exists()
    assert audit_verify().ok


@pytest.mark.django_db
def test_reorganisation_with_a_bad_mapping_changes_nothing() -> None:
    services.units_import(content=KG, valid_from=dt.date(2008, 1, 1), by=None)
    before = Unit.objects.count()
    bad_mapping = REORG.decode().replace("31108,Đặc khu Kiên Hải,no", "99999,Nowhere,maybe", 1)
    with pytest.raises(ImportRejected) as caught:
        services.units_reorganise(
            replaces=Unit.objects.get(gso_code="91"),
            units_content=AG,
            mapping_content=bad_mapping,
            effective_on=REORG_DAY,
            by=None,
        )
    assert {e.column for e in caught.value.errors} >= {"new_gso_code", "split"}
    assert Unit.objects.count() == before
    assert not Unit.objects.filter(valid_to__isnull=False).exists()
