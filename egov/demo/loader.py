"""Load the demo province and demo accounts through the normal services.

The demo tells the province's story from 1 January 2021: Kiên Giang with its three levels
(province, 15 districts, communes) until 30 June 2025, then, from 1 July 2025, the two-level
An Giang that Kiên Giang merged into (Resolution 202/2025/QH15; the district level abolished).
The dossier history follows the calendar: dossiers received before the reorganisation were
received and resolved by the old units, later ones by the new units.

Illustrative, not official: the agency identifiers, the new province's departments (Kiên Giang's
22 departments under An Giang's name), the demo accounts, the dossiers and every applicant.
The units, their statistics codes and the commune mapping are the official 2025 data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from egov.accounts import services as account_services
from egov.accounts.models import AccountKind, Role, User
from egov.demo.documents import DOCUMENTS, DOCUMENTS_JOURNEY, load_demo_documents
from egov.demo.documents import PEOPLE as DOCUMENT_PEOPLE
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind, UnitLevel
from egov.workcal.services import work_calendar_create

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "egov-demo-2021"  # noqa: S105 - printed by `egov demo`; demo accounts only
DEMO_VALID_FROM = dt.date(2008, 1, 1)
HISTORY_START = dt.date(2021, 1, 1)
REORG_ON = dt.date(2025, 7, 1)
REORG_BASIS = "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội (sắp xếp đơn vị hành chính cấp tỉnh)"
# The 2021 plan counts about 209,000 dossiers a year province-wide; the demo keeps the proportions
# between years, levels and units, scaled down evenly so that `egov demo` starts within a minute.
DOSSIERS_PER_YEAR = 4000
POOL_SIZE = 1500  # lives planned per part of the history and replayed (planning costs ~1 ms each)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str
    journey: str = ""


def _agency_codes(province_letter_code: str) -> None:
    """Give committees and departments identifiers in the right-to-left national form.

    Illustrative only: province committee 000.00.00.<P>, departments 000.00.<NN>.<P>,
    district committees 000.00.<DD>.<P> (DD from 30), commune committees <NNN>.<DD>.00.<P>."""
    p = province_letter_code.strip().upper()  # stored in capitals, like Unit.clean does
    committees = Unit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE, valid_to__isnull=True).select_related(
        "parent"
    )
    level_order = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}
    district_no: dict[int, int] = {}
    commune_no: dict[int, int] = {}
    for committee in sorted(committees, key=lambda c: (level_order[UnitLevel(c.level)], c.path)):
        area = committee.parent
        assert area is not None
        if area.level == UnitLevel.PROVINCE:
            code = f"000.00.00.{p}"
        elif area.level == UnitLevel.DISTRICT:
            district_no[area.pk] = 30 + len(district_no)
            code = f"000.00.{district_no[area.pk]:02d}.{p}"
        else:
            parent_no = district_no.get(area.parent_id or 0, 0)
            commune_no[parent_no] = commune_no.get(parent_no, 0) + 1
            code = f"{commune_no[parent_no]:03d}.{parent_no:02d}.00.{p}"
        Unit.objects.filter(pk=committee.pk).update(agency_code=code)
    for index, dept in enumerate(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, valid_to__isnull=True).order_by("sort_order", "pk"), 1
    ):
        Unit.objects.filter(pk=dept.pk).update(agency_code=f"000.00.{index:02d}.{p}")


def demo_loaded() -> bool:
    return User.objects.filter(username="admin", is_demo=True).exists()


def reference_loaded() -> bool:
    return Unit.objects.filter(kind=UnitKind.PROVINCE, gso_code="91").exists()


def _departments(*, committee: Unit, valid_from: dt.date, by: User | None) -> None:
    with (DATA / "kien-giang-2021-departments.csv").open(encoding="utf-8") as fh:
        for order, row in enumerate(csv.DictReader(fh), start=10):
            org_services.unit_create(
                name=row["name"],
                unit_type=row["unit_type"],
                kind=UnitKind.DEPARTMENT,
                level=UnitLevel.PROVINCE,
                parent=committee,
                valid_from=valid_from,
                sort_order=order,
                by=by,
            )


def current_province() -> Unit:
    return Unit.objects.get(kind=UnitKind.PROVINCE, gso_code="91", valid_to__isnull=True)


def reorganised() -> bool:
    return Unit.objects.filter(kind=UnitKind.PROVINCE, gso_code="91", valid_to__isnull=False).exists()


@transaction.atomic
def apply_reorganisation(*, province_letter_code: str = "H33", by: User | None = None) -> Unit:
    """Kiên Giang becomes part of the two-level An Giang on 1 July 2025 (the shipped mapping):
    the old units close (kept for history), the new communes and their agencies open, each old
    commune and agency is linked to its successor; once only. The new province gets departments
    of the same names (illustrative), agency codes and a working calendar."""
    if reorganised():
        return current_province()
    old = current_province()
    org_services.units_reorganise(
        replaces=old,
        units_content=(DATA / "an-giang-2025-units.csv").read_bytes(),
        mapping_content=(DATA / "reorg-2025-kien-giang-to-an-giang.csv").read_bytes(),
        effective_on=REORG_ON,
        legal_basis=REORG_BASIS,
        by=by,
    )
    province = current_province()
    committee = Unit.objects.get(parent=province, kind=UnitKind.PEOPLES_COMMITTEE)
    _departments(committee=committee, valid_from=REORG_ON, by=by)
    _agency_codes(province_letter_code)
    work_calendar_create(unit=province, by=by)
    _procedures_follow(by=by)
    return province


REORG_DECISION = "QĐ công bố TTHC theo mô hình chính quyền hai cấp (minh họa)"


def _procedures_follow(*, by: User | None) -> None:
    """With no district level, every district-level procedure is published again at the commune
    level (its district process becomes the commune's). Illustrative: the demo's catalogue moves
    them all to the commune, where the 2025 decrees moved most of them."""
    from dataclasses import replace

    from egov.catalog.models import ProcedureVersion, VersionStatus
    from egov.catalog.selectors import version_to_data
    from egov.catalog.services import procedure_publish, procedure_save_draft

    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("procedure")
    for version in [v for v in published if "district" in (v.levels or [])]:
        data = version_to_data(version)
        had_commune = "commune" in data.levels
        data.levels = [lvl for lvl in data.levels if lvl != "district"] + ([] if had_commune else ["commune"])
        data.process = [s for s in data.process if s.level != "district" or not had_commune]
        data.process = [
            replace(s, level="commune", name=s.name.replace("cấp huyện", "cấp xã"))
            if s.level == "district"
            else s
            for s in data.process
        ]
        data.implementing_agency = data.implementing_agency.replace("cấp huyện", "cấp xã")
        draft = procedure_save_draft(data=data, by=by)
        procedure_publish(
            version=draft,
            decision_number=REORG_DECISION,
            decision_date=REORG_ON - dt.timedelta(days=1),
            by=by,
        )


@transaction.atomic
def load_reference(*, province_letter_code: str = "H33", by: User | None = None) -> Unit:
    """The demo province's units, departments, agency codes, working calendar, catalogue and plan
    data, without accounts or dossiers (what ``egov generate`` needs); once only."""
    if not reference_loaded():
        org_services.units_import(
            content=(DATA / "kien-giang-2021-units.csv").read_bytes(), valid_from=DEMO_VALID_FROM, by=by
        )
        province = current_province()
        committee = Unit.objects.get(parent=province, kind=UnitKind.PEOPLES_COMMITTEE)
        _departments(committee=committee, valid_from=DEMO_VALID_FROM, by=by)
        _agency_codes(province_letter_code)
        work_calendar_create(unit=province, by=by)
        load_demo_catalogue(by=by)
        from egov.plans.services import load_plan_data

        load_plan_data(by=by)
    return current_province()


def _local_midnight(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def _share(per_year: int, start: dt.date, end: dt.date) -> int:
    return max(1, round(per_year * (end - start).days / 365.25))


@transaction.atomic
def load_demo(
    *,
    province_letter_code: str = "H33",
    dossiers_per_year: int = DOSSIERS_PER_YEAR,
    end: dt.datetime | None = None,
    documents: int = DOCUMENTS,
) -> list[DemoLogin]:
    """Load the demo province, its 2025 reorganisation, demo accounts and the dossier history
    from 1 January 2021 to ``end`` (default now) once; a second call changes nothing.

    The history is written by the bulk generator (``egov.synthetic.bulk``): ``dossiers_per_year``
    receptions a year, evenly; the tests pass a small number. The office work's ``documents``
    (:mod:`egov.demo.documents`) come from the document generator."""
    from django.utils import timezone

    from egov.synthetic.bulk import bulk_generate

    if demo_loaded():
        return demo_logins()
    end = end or timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localtime(end).date()
    admin = account_services.user_create(
        username="admin", full_name="Quản trị hệ thống (demo)", password=DEMO_PASSWORD, is_demo=True, by=None
    )
    old_province = load_reference(province_letter_code=province_letter_code, by=admin)
    account_services.role_grant(user=admin, unit=old_province, role=Role.SYSTEM_ADMIN, by=admin)
    reorg_at = _local_midnight(REORG_ON)
    if end > reorg_at:
        # Before the reorganisation: lives received and ended at the old units.
        bulk_generate(
            dossiers=_share(dossiers_per_year, HISTORY_START, REORG_ON), seed=2021, start=HISTORY_START,
            end=reorg_at, ended_only=True, pool_size=POOL_SIZE, force=True, by=admin,
        )  # fmt: skip
        province = apply_reorganisation(province_letter_code=province_letter_code, by=admin)
        account_services.role_grant(user=admin, unit=province, role=Role.SYSTEM_ADMIN, by=admin)
        start = REORG_ON
    else:
        province, start = old_province, HISTORY_START
    _demo_people(admin=admin, province=province)
    load_demo_documents(
        admin=admin, province=province, ward=_demo_units(province)["commune_committee"], end=end,
        documents=documents,
    )  # fmt: skip
    bulk_generate(
        dossiers=_share(dossiers_per_year, start, today), seed=2025, start=start, end=end,
        pool_size=POOL_SIZE, force=True, by=admin,
    )  # fmt: skip
    return demo_logins()


def load_demo_catalogue(*, by: User | None) -> None:
    """The demo catalogue goes through the real importer, like a province's spreadsheet would."""
    from egov.catalog.models import Field
    from egov.catalog.services import catalog_import
    from egov.catalog.spreadsheet import csv_tables, parse

    folder = DATA / "catalog"
    files = {
        name: (folder / f"{name}.csv").read_text(encoding="utf-8")
        for name in ("procedures", "channels", "papers", "steps")
    }
    rows = list(csv.DictReader(io.StringIO(files["procedures"])))
    fields = sorted({(r["field_code"], r["field_name"]) for r in rows})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name"])
    writer.writerows(fields)
    files["fields"] = out.getvalue()
    parsed = parse(csv_tables(files), known_fields=set(Field.objects.values_list("code", flat=True)))
    catalog_import(parsed=parsed, by=by)


# (journey, username, description, where, role); ``where`` is resolved by ``_demo_unit``.
# Two full teams on units valid today: a commune (ward) and a department with the province's
# public service centre as its counter.
PEOPLE: tuple[tuple[str, str, str, str, str], ...] = (
    ("citizen", "congdan", "citizen (portal: apply, follow, rate)", "", ""),
    ("receive", "motcua.xa", "one-stop officer, ward counter", "commune_one_stop", Role.ONE_STOP_OFFICER),
    ("receive", "motcua.tinh", "one-stop officer, province public service centre", "province_one_stop",
     Role.ONE_STOP_OFFICER),
    ("receive", "motcua.xa2", "one-stop officer, another commune's counter", "other_one_stop",
     Role.ONE_STOP_OFFICER),
    ("examine", "chuyenvien.xa", "specialist, ward People's Committee", "commune_committee", Role.SPECIALIST),
    ("examine", "truongphong.xa", "head of division, ward People's Committee", "commune_committee",
     Role.HEAD_OF_DIVISION),
    ("examine", "chuyenvien.syt", "specialist, Department of Health", "department", Role.SPECIALIST),
    ("examine", "truongphong.syt", "head of division, Department of Health", "department",
     Role.HEAD_OF_DIVISION),
    ("decide", "chutich.xa", "chairman, ward People's Committee", "commune_committee", Role.AGENCY_LEADER),
    ("decide", "giamdoc.syt", "director, Department of Health", "department", Role.AGENCY_LEADER),
    ("decide", "vanthu.xa", "clerk (issues and files results), ward", "commune_committee", Role.CLERK),
    ("decide", "vanthu.syt", "clerk (issues and files results), Department of Health", "department",
     Role.CLERK),
    ("return", "motcua.xa", "the ward counter hands the result back", "", ""),
    ("return", "motcua.tinh", "the province centre hands the result back", "", ""),
    ("audit", "kiemtra", "auditor (whole province)", "province", Role.AUDITOR),
    ("catalogue", "danhmuc", "catalogue officer (procedures)", "province", Role.CATALOGUE_OFFICER),
    ("admin", "admin", "system administrator", "", ""),
    ("admin", "quantri.xa", "unit administrator of the ward", "commune", Role.UNIT_ADMIN),
)  # fmt: skip
JOURNEYS = {
    "citizen": "Citizen",
    "receive": "Counter officer receives",
    "examine": "Specialist examines (head of division checks)",
    "decide": "Leader decides (clerk issues)",
    "return": "Counter returns the result",
    "audit": "Auditor",
    "catalogue": "Catalogue officer",
    "admin": "Administrator",
    "documents": DOCUMENTS_JOURNEY,
    "signatures": "Chữ ký số: lãnh đạo ký → văn thư đóng dấu số và phát hành; người dân kiểm tra tại /signatures/check/",
}
# Who walks the digital-signature journey (egov.demo.signed_documents prepares a decision waiting
# for each of them; the ward's leader and clerk sign one-stop results).
SIGNATURE_PEOPLE = (
    ("chutich.tinh", "chairman, provincial People's Committee: signs “… (chờ lãnh đạo ký số)”"),
    ("vanthu.tinh", "clerk: issues “… (chờ văn thư phát hành)” with the agency's seal; makes copies"),
    (
        "giamdoc.syt",
        "director, Department of Health: signs, and sets their signature image in “Chữ ký số của tôi”",
    ),
    ("admin", "system administrator: trust roots at /signatures/roots/"),
)
DEMO_COMMUNE = "30742"  # Phường Rạch Giá, the new province's administrative centre
DEMO_DEPARTMENT = "Sở Y tế"


def _demo_units(province: Unit) -> dict[str, Unit]:
    commune = Unit.objects.get(gso_code=DEMO_COMMUNE, kind=UnitKind.COMMUNE, valid_to__isnull=True)
    if not commune.path.startswith(province.path):  # the 2021 tree (no reorganisation yet)
        commune = Unit.objects.filter(
            path__startswith=province.path, kind=UnitKind.COMMUNE, valid_to__isnull=True
        ).order_by("gso_code")[0]
    other = (
        Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE, valid_to__isnull=True)
        .exclude(pk=commune.pk)
        .order_by("gso_code")[0]
    )
    committee = Unit.objects.get(parent=province, kind=UnitKind.PEOPLES_COMMITTEE)

    def one_stop(area: Unit) -> Unit:
        return Unit.objects.get(path__startswith=area.path, kind=UnitKind.ONE_STOP, level=area.level,
                                valid_to__isnull=True)  # fmt: skip

    return {
        "province": province,
        "commune": commune,
        "commune_committee": Unit.objects.get(parent=commune, kind=UnitKind.PEOPLES_COMMITTEE),
        "commune_one_stop": one_stop(commune),
        "other_one_stop": one_stop(other),
        "province_one_stop": Unit.objects.get(parent=committee, kind=UnitKind.ONE_STOP),
        "department": Unit.objects.get(
            parent=committee, kind=UnitKind.DEPARTMENT, name=DEMO_DEPARTMENT, valid_to__isnull=True
        ),
    }


def _demo_people(*, admin: User, province: Unit) -> None:
    units = _demo_units(province)
    for _journey, username, _description, where, role in PEOPLE:
        if not where:
            continue
        unit = units[where]
        person = User.objects.filter(username=username).first() or account_services.user_create(
            username=username,
            full_name=f"{_VI_NAMES[username]} (demo)",
            is_demo=True,
            by=admin,
            unit_for_scope=unit,
        )
        account_services.role_grant(user=person, unit=unit, role=role, by=admin)
    account_services.user_create(
        username="congdan",
        full_name="Nguyễn Văn An (công dân demo)",
        is_demo=True,
        kind=AccountKind.CITIZEN,
        by=admin,
    )
    # One password hash for every demo account: hashing costs most of a second per account.
    User.objects.filter(is_demo=True).exclude(pk=admin.pk).update(password=admin.password)


_VI_NAMES = {
    "motcua.xa": "Lê Thị Thu — Bộ phận Một cửa phường",
    "motcua.tinh": "Phạm Văn Hùng — Trung tâm Phục vụ hành chính công tỉnh",
    "motcua.xa2": "Trần Thị Mai — Bộ phận Một cửa xã",
    "chuyenvien.xa": "Nguyễn Thị Lan — công chức Văn hóa - Xã hội phường",
    "truongphong.xa": "Võ Minh Tâm — Trưởng phòng Văn hóa - Xã hội phường",
    "chutich.xa": "Huỳnh Văn Phúc — Chủ tịch UBND phường",
    "vanthu.xa": "Đặng Thị Hoa — Văn thư UBND phường",
    "chuyenvien.syt": "Bùi Quốc Bảo — Chuyên viên Phòng Nghiệp vụ Dược, Sở Y tế",
    "truongphong.syt": "Lâm Thị Ngọc — Trưởng phòng Nghiệp vụ Dược",
    "giamdoc.syt": "Dương Thanh Sơn — Giám đốc Sở Y tế",
    "vanthu.syt": "Ngô Thị Hạnh — Văn thư Sở Y tế",
    "kiemtra": "Kiểm tra viên tỉnh",
    "danhmuc": "Cán bộ kiểm soát TTHC (Văn phòng UBND tỉnh)",
    "quantri.xa": "Quản trị UBND phường",
}


def demo_logins() -> list[DemoLogin]:
    """The demo accounts grouped by journey, in the order a dossier travels."""
    found = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    documents = [
        ("documents", username, description, "", "") for username, description, *_rest in DOCUMENT_PEOPLE
    ]
    signatures = [("signatures", username, description, "", "") for username, description in SIGNATURE_PEOPLE]
    return [
        DemoLogin(username, description, JOURNEYS[journey])
        for journey, username, description, _where, _role in (*PEOPLE, *documents, *signatures)
        if username in found
    ]
