"""The demo's office work (issue #14): the provincial People's Committee, the Departments of
Health and of Home Affairs, the city of Rạch Giá (a district until 1 July 2025) and three wards —
two of the old wards and the Phường Rạch Giá they merged into — with registers, office-work
settings, a few thousand documents flowing between them (assignments, drafts, work files, some
overdue) written by the synthetic generator, and a clerk, a leader, a head of division and a
specialist in each. The same people keep the province's and departments' registers before and
after the reorganisation; the old district and wards have their own."""

from __future__ import annotations

import datetime as dt

from egov.accounts import services as account_services
from egov.accounts.models import Role, RoleAssignment, User
from egov.orgs.models import Unit, UnitKind

DOCUMENTS_START = dt.date(2024, 1, 1)
DOCUMENTS = 3000
QUEUE = 40  # of which arrived in the last hours: the clerks' and leaders' queues
# Shares of the demo's documents by kind of agency (the wards get more than their real share,
# so that every login has work to show).
WEIGHTS = {"province": 10.0, "department": 6.0, "district": 5.0, "commune": 4.0}
DOCUMENTS_JOURNEY = "Văn bản: văn thư tiếp nhận → lãnh đạo bút phê → chuyên viên xử lý → ban hành"
OLD_WARDS = {"vinhthanh": "30733", "vinhquang": "30736"}  # merged into Phường Rạch Giá (30742)
OLD_DISTRICT = "899"  # Thành phố Rạch Giá

# (username, description, agency key, role, full name); agency keys are resolved by ``_agencies``.
# Existing demo people (vanthu.xa, chutich.xa, …) keep their roles and are only listed.
PEOPLE: tuple[tuple[str, str, str, str, str], ...] = (
    ("vanthu.tinh", "clerk, provincial People's Committee", "province", Role.CLERK, "Trương Thị Kim Loan — Văn thư UBND tỉnh"),
    ("chutich.tinh", "chairman, provincial People's Committee", "province", Role.AGENCY_LEADER, "Lê Văn Thắng — Chủ tịch UBND tỉnh"),
    ("chanhvanphong.tinh", "head of division, provincial People's Committee", "province", Role.HEAD_OF_DIVISION, "Phan Minh Trí — Chánh Văn phòng UBND tỉnh"),
    ("chuyenvien.tinh", "specialist, provincial People's Committee", "province", Role.SPECIALIST, "Đỗ Thị Ngọc Hân — Chuyên viên Văn phòng UBND tỉnh"),
    ("vanthu.syt", "clerk, Department of Health", "", "", ""),
    ("giamdoc.syt", "director, Department of Health", "", "", ""),
    ("truongphong.syt", "head of division, Department of Health", "", "", ""),
    ("chuyenvien.syt", "specialist, Department of Health", "", "", ""),
    ("vanthu.snv", "clerk, Department of Home Affairs", "home_affairs", Role.CLERK, "Hồ Thị Thanh Thúy — Văn thư Sở Nội vụ"),
    ("giamdoc.snv", "director, Department of Home Affairs", "home_affairs", Role.AGENCY_LEADER, "Nguyễn Quốc Việt — Giám đốc Sở Nội vụ"),
    ("truongphong.snv", "head of division, Department of Home Affairs", "home_affairs", Role.HEAD_OF_DIVISION, "Huỳnh Thị Bích Liên — Trưởng phòng Công chức, viên chức"),
    ("chuyenvien.snv", "specialist, Department of Home Affairs", "home_affairs", Role.SPECIALIST, "Trần Hữu Lộc — Chuyên viên Sở Nội vụ"),
    ("vanthu.xa", "clerk, Phường Rạch Giá (ward since 1/7/2025)", "", "", ""),
    ("chutich.xa", "chairman, Phường Rạch Giá", "", "", ""),
    ("truongphong.xa", "head of division, Phường Rạch Giá", "", "", ""),
    ("chuyenvien.xa", "specialist, Phường Rạch Giá", "", "", ""),
    ("vanthu.rachgia", "clerk, city of Rạch Giá (district, until 30/6/2025)", "district", Role.CLERK, "Lý Thị Mỹ Duyên — Văn thư UBND thành phố Rạch Giá"),
    ("chutich.rachgia", "chairman, city of Rạch Giá (until 30/6/2025)", "district", Role.AGENCY_LEADER, "Võ Thanh Hải — Chủ tịch UBND thành phố Rạch Giá"),
    ("truongphong.rachgia", "head of division, city of Rạch Giá (until 30/6/2025)", "district", Role.HEAD_OF_DIVISION, "Đặng Văn Lâm — Trưởng phòng Nội vụ thành phố"),
    ("chuyenvien.rachgia", "specialist, city of Rạch Giá (until 30/6/2025)", "district", Role.SPECIALIST, "Bùi Thị Thu Trang — Chuyên viên Phòng Nội vụ thành phố"),
    ("vanthu.vinhthanh", "clerk, Phường Vĩnh Thanh (until 30/6/2025)", "vinhthanh", Role.CLERK, "Ngô Thị Hồng — Văn thư UBND phường Vĩnh Thanh"),
    ("chutich.vinhthanh", "chairman, Phường Vĩnh Thanh (until 30/6/2025)", "vinhthanh", Role.AGENCY_LEADER, "Phạm Văn Tới — Chủ tịch UBND phường Vĩnh Thanh"),
    ("truongphong.vinhthanh", "head of division, Phường Vĩnh Thanh (until 30/6/2025)", "vinhthanh", Role.HEAD_OF_DIVISION, "Lê Thị Diễm — công chức Văn phòng - Thống kê"),
    ("chuyenvien.vinhthanh", "specialist, Phường Vĩnh Thanh (until 30/6/2025)", "vinhthanh", Role.SPECIALIST, "Trần Văn Út — công chức Văn hóa - Xã hội"),
    ("vanthu.vinhquang", "clerk, Phường Vĩnh Quang (until 30/6/2025)", "vinhquang", Role.CLERK, "Dương Thị Kiều — Văn thư UBND phường Vĩnh Quang"),
    ("chutich.vinhquang", "chairman, Phường Vĩnh Quang (until 30/6/2025)", "vinhquang", Role.AGENCY_LEADER, "Huỳnh Văn Nhân — Chủ tịch UBND phường Vĩnh Quang"),
    ("truongphong.vinhquang", "head of division, Phường Vĩnh Quang (until 30/6/2025)", "vinhquang", Role.HEAD_OF_DIVISION, "Nguyễn Thị Bé Ba — công chức Văn phòng - Thống kê"),
    ("chuyenvien.vinhquang", "specialist, Phường Vĩnh Quang (until 30/6/2025)", "vinhquang", Role.SPECIALIST, "Lâm Văn Sang — công chức Văn hóa - Xã hội"),
)  # fmt: skip


def _committee(area: Unit) -> Unit:
    return Unit.objects.get(parent=area, kind=UnitKind.PEOPLES_COMMITTEE)


def _departments(name: str) -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.DEPARTMENT, name=name).order_by("valid_from", "pk"))


def _agencies(province: Unit, ward: Unit) -> dict[str, list[Unit]]:
    """Each demo agency key → its units, oldest first (the old and the new one after 2025)."""
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, gso_code=province.gso_code).order_by(
        "valid_from", "pk"
    )
    areas = {key: Unit.objects.filter(gso_code=code, kind=UnitKind.COMMUNE, valid_to__isnull=False).first()
             for key, code in OLD_WARDS.items()}  # fmt: skip
    district = Unit.objects.filter(gso_code=OLD_DISTRICT, kind=UnitKind.DISTRICT).first()
    found = {
        "province": [_committee(p) for p in provinces],
        "health": _departments("Sở Y tế"),
        "home_affairs": _departments("Sở Nội vụ"),
        "ward": [ward],
        "district": [_committee(district)] if district else [],
        **{key: [_committee(area)] for key, area in areas.items() if area is not None},
    }
    return {key: units for key, units in found.items() if units}


def _grant(person: User, unit: Unit, role: str, admin: User) -> None:
    if not RoleAssignment.objects.active().filter(user=person, unit=unit, role=role).exists():
        account_services.role_grant(user=person, unit=unit, role=role, by=admin)


def _people(agencies: dict[str, list[Unit]], admin: User) -> None:
    """The demo people of each agency (heads and specialists in its professional division); the
    Department of Health's and the ward's existing people also serve the old department."""
    from egov.synthetic.documents.agencies import agency_kind, ensure_divisions

    for username, _description, key, role, full_name in PEOPLE:
        if not key or key not in agencies:
            continue
        person = User.objects.filter(username=username).first() or account_services.user_create(
            username=username, full_name=f"{full_name} (demo)", is_demo=True, by=admin
        )
        for unit in agencies[key]:
            divisions = ensure_divisions(unit, agency_kind(unit), admin)
            where = (
                unit if role in (Role.CLERK, Role.AGENCY_LEADER) else Unit.objects.get(pk=divisions[-1][0])
            )
            _grant(person, where, role, admin)
    current = agencies.get("health", [])[-1:]
    for unit in agencies.get("health", [])[:-1]:  # the old department: the same people
        for held in RoleAssignment.objects.active().filter(unit__in=current, role__in=_DOCUMENT_ROLES):
            _grant(held.user, unit, held.role, admin)


_DOCUMENT_ROLES = (Role.CLERK, Role.AGENCY_LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST)


def load_demo_documents(
    *, admin: User, province: Unit, ward: Unit, end: dt.datetime, documents: int = DOCUMENTS
) -> int:
    """The demo agencies, their people and ``documents`` documents from 2024 to ``end``."""
    from egov.synthetic.documents import generate_documents

    agencies = _agencies(province, ward)
    _people(agencies, admin)
    units = [unit for group in agencies.values() for unit in group]
    written = generate_documents(
        documents=documents, seed=2024, start=DOCUMENTS_START, end=end, agencies=units, force=True, by=admin,
        weights=WEIGHTS, queue=QUEUE,
    )  # fmt: skip
    User.objects.filter(is_demo=True).exclude(pk=admin.pk).update(password=admin.password)
    return written
