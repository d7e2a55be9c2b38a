"""An office for the document tests: the provincial People's Committee (with its office as a
division), a department with a division, and a commune's People's Committee; a clerk, a leader,
a head of division and a specialist in each, registers and office-work settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import Province, _person
from egov.accounts.models import Role, User
from egov.documents import services
from egov.documents.models import DocumentProfile, Register, RegisterKind
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind, UnitLevel
from egov.signatures.tests.conftest import test_pki, trusted  # noqa: F401 — the signing tests' PKI

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "van-ban.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Agency:
    unit: Unit
    division: Unit
    incoming: Register
    outgoing: Register
    people: dict[str, User] = field(default_factory=dict)

    @property
    def clerk(self) -> User:
        return self.people["clerk"]

    @property
    def leader(self) -> User:
        return self.people["leader"]

    @property
    def head(self) -> User:
        return self.people["head"]

    @property
    def specialist(self) -> User:
        return self.people["specialist"]


@dataclass
class Office:
    committee: Agency
    department: Agency
    commune: Agency
    outsider: User
    admin: User


def _agency(unit: Unit, key: str, abbreviation: str, division_name: str, division_abbr: str) -> Agency:
    division = org_services.unit_create(
        name=division_name, kind=UnitKind.DIVISION, level=unit.level, parent=unit, by=None
    )
    DocumentProfile.objects.create(
        unit=unit, abbreviation=abbreviation, review_roles=["head_of_division", "agency_leader"]
    )
    DocumentProfile.objects.create(unit=division, abbreviation=division_abbr)
    incoming = Register.objects.create(
        agency=unit, kind=RegisterKind.INCOMING, name="Sổ văn bản đến", code="DEN"
    )
    outgoing = Register.objects.create(
        agency=unit, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi", code="DI"
    )
    people = {
        "clerk": _person(f"vanthu.{key}", roles=[(unit, Role.CLERK)]),
        "leader": _person(f"lanhdao.{key}", roles=[(unit, Role.AGENCY_LEADER)]),
        "head": _person(f"truongphong.{key}", roles=[(division, Role.HEAD_OF_DIVISION)]),
        "specialist": _person(f"chuyenvien.{key}", roles=[(division, Role.SPECIALIST)]),
    }
    return Agency(unit=unit, division=division, incoming=incoming, outgoing=outgoing, people=people)


@pytest.fixture
def office(province: Province) -> Office:
    committee = Unit.objects.get(parent=province.province, kind=UnitKind.PEOPLES_COMMITTEE)
    department = org_services.unit_create(
        name="Sở Y tế", kind=UnitKind.DEPARTMENT, level=UnitLevel.PROVINCE, parent=committee, by=None
    )
    commune = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)
    return Office(
        committee=_agency(committee, "p", "UBND", "Văn phòng", "VP"),
        department=_agency(department, "s", "SYT", "Phòng Nghiệp vụ", "NV"),
        commune=_agency(commune, "c", "UBND", "Văn phòng - Thống kê", "VPTK"),
        outsider=_person("nguoingoai", roles=[(province.commune_b1, Role.SPECIALIST)]),
        admin=_person("quantri.p", roles=[(committee, Role.UNIT_ADMIN)]),
    )


def incoming_meta(**overrides: Any) -> services.DocumentIn:
    values: dict[str, Any] = {
        "doc_type": "CV",
        "subject": "V/v triển khai kế hoạch chuyển đổi số năm 2026",
        "issuer_name": "Bộ Nội vụ",
        "number": "1234",
        "notation": "BNV-CCVC",
        "issued_on": timezone.localdate() - dt.timedelta(days=2),
    }
    values.update(overrides)
    return services.DocumentIn(**values)


@pytest.fixture
def registered(office: Office) -> Any:
    """Register an incoming paper document at an agency (the committee by default)."""

    def _register(agency: Agency | None = None, **overrides: Any) -> Any:
        agency = agency or office.committee
        return services.entry_register(
            agency=agency.unit,
            register=agency.incoming,
            meta=incoming_meta(**overrides),
            medium="paper",
            main_file=pdf_upload(),
            by=agency.clerk,
        )

    return _register
