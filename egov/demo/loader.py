"""Load the demo province (Kiên Giang as of 2021) and demo accounts through the normal services."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from egov.accounts import services as account_services
from egov.accounts.models import AccountKind, Role, User
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind, UnitLevel
from egov.workcal.services import work_calendar_create

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "egov-demo-2021"  # noqa: S105 - printed by `egov demo`; demo accounts only
DEMO_VALID_FROM = dt.date(2008, 1, 1)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


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
        Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("sort_order", "pk"), 1
    ):
        Unit.objects.filter(pk=dept.pk).update(agency_code=f"000.00.{index:02d}.{p}")


def demo_loaded() -> bool:
    return User.objects.filter(username="admin", is_demo=True).exists()


def reference_loaded() -> bool:
    return Unit.objects.filter(kind=UnitKind.PROVINCE, gso_code="91", valid_to__isnull=True).exists()


@transaction.atomic
def load_reference(*, province_letter_code: str = "H33", by: User | None = None) -> Unit:
    """The demo province's units, departments, agency codes, working calendar, catalogue and plan
    data, without accounts or dossiers (what ``egov generate`` needs); once only."""
    if not reference_loaded():
        org_services.units_import(
            content=(DATA / "kien-giang-2021-units.csv").read_bytes(), valid_from=DEMO_VALID_FROM, by=by
        )
        province = Unit.objects.get(kind=UnitKind.PROVINCE, gso_code="91", valid_to__isnull=True)
        committee = Unit.objects.get(parent=province, kind=UnitKind.PEOPLES_COMMITTEE)
        with (DATA / "kien-giang-2021-departments.csv").open(encoding="utf-8") as fh:
            for order, row in enumerate(csv.DictReader(fh), start=10):
                org_services.unit_create(
                    name=row["name"],
                    unit_type=row["unit_type"],
                    kind=UnitKind.DEPARTMENT,
                    level=UnitLevel.PROVINCE,
                    parent=committee,
                    valid_from=DEMO_VALID_FROM,
                    sort_order=order,
                    by=by,
                )
        _agency_codes(province_letter_code)
        work_calendar_create(unit=province, by=by)
        load_demo_catalogue(by=by)
        from egov.plans.services import load_plan_data

        load_plan_data(by=by)
    return Unit.objects.get(kind=UnitKind.PROVINCE, gso_code="91", valid_to__isnull=True)


@transaction.atomic
def load_demo(*, province_letter_code: str = "H33") -> list[DemoLogin]:
    """Load the demo province, demo accounts and dossier history once; a second call changes nothing."""
    if demo_loaded():
        return demo_logins()
    admin = account_services.user_create(
        username="admin", full_name="Quản trị hệ thống (demo)", password=DEMO_PASSWORD, is_demo=True, by=None
    )
    province = load_reference(province_letter_code=province_letter_code, by=admin)
    account_services.role_grant(user=admin, unit=province, role=Role.SYSTEM_ADMIN, by=admin)
    _demo_people(admin=admin, province=province)
    from egov.dossiers.generate import generate_history

    generate_history(dossiers=2000, seed=2021, by=admin)
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


def _first_commune_one_stop(district: Unit) -> Unit:
    commune = Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).order_by("gso_code").first()
    assert commune is not None
    return Unit.objects.get(path__startswith=commune.path, kind=UnitKind.ONE_STOP)


def _demo_people(*, admin: User, province: Unit) -> None:
    districts = list(Unit.objects.filter(parent=province, kind=UnitKind.DISTRICT).order_by("gso_code")[:2])
    district_a, district_b = districts
    one_stop_a1 = _first_commune_one_stop(district_a)
    one_stop_b1 = _first_commune_one_stop(district_b)
    justice = Unit.objects.get(kind=UnitKind.DEPARTMENT, name="Sở Tư pháp")
    people = [
        ("quantri.huyen", f"Quản trị {district_a.name}", district_a, Role.UNIT_ADMIN),
        ("motcua.xa", f"Cán bộ một cửa ({one_stop_a1.name})", one_stop_a1, Role.ONE_STOP_OFFICER),
        ("motcua.xa2", f"Cán bộ một cửa ({one_stop_b1.name})", one_stop_b1, Role.ONE_STOP_OFFICER),
        ("chuyenvien.stp", "Chuyên viên Sở Tư pháp", justice, Role.SPECIALIST),
        ("kiemtra", "Kiểm tra viên tỉnh", province, Role.AUDITOR),
        ("danhmuc", "Cán bộ kiểm soát TTHC (Văn phòng UBND tỉnh)", province, Role.CATALOGUE_OFFICER),
    ]
    for username, name, unit, role in people:
        person = account_services.user_create(
            username=username,
            full_name=name,
            password=DEMO_PASSWORD,
            is_demo=True,
            by=admin,
            unit_for_scope=unit,
        )
        account_services.role_grant(user=person, unit=unit, role=role, by=admin)
    account_services.user_create(
        username="congdan",
        full_name="Nguyễn Văn An (công dân demo)",
        password=DEMO_PASSWORD,
        is_demo=True,
        kind=AccountKind.CITIZEN,
        by=admin,
    )


def demo_logins() -> list[DemoLogin]:
    descriptions = {
        "admin": "system administrator",
        "quantri.huyen": "unit administrator of a district",
        "motcua.xa": "one-stop officer of a commune in that district",
        "motcua.xa2": "one-stop officer of a commune in another district",
        "chuyenvien.stp": "specialist, Department of Justice",
        "kiemtra": "auditor (whole province)",
        "danhmuc": "catalogue officer (procedures)",
        "congdan": "citizen",
    }
    found = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    return [DemoLogin(u, d) for u, d in descriptions.items() if u in found]
