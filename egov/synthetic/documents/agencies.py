"""The agencies synthetic documents are written for, ready for office work: an office-work
profile (abbreviation, review chain), two divisions, registers and a clerk, a leader, a head of
division and a specialist. What exists is reused (the demo's named people, an administrator's
registers); what is missing is created through the normal services (audited)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from egov.accounts import services as account_services
from egov.accounts.models import Role, RoleAssignment, User
from egov.documents.models import DocumentProfile, Register, RegisterKind
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind, UnitLevel
from egov.synthetic.generate.names import _person
from egov.workcal import Calendar
from egov.workcal.selectors import calendar_for_unit

AGENCY_KINDS = (UnitKind.PEOPLES_COMMITTEE, UnitKind.DEPARTMENT)
REVIEW_ROLES = ["head_of_division", "agency_leader"]
# Two divisions of each kind of agency: (name, abbreviation in notations).
DIVISIONS = {
    "province": (("Văn phòng", "VP"), ("Phòng Tổng hợp", "TH")),
    "department": (("Văn phòng", "VP"), ("Phòng Nghiệp vụ", "NV")),
    "district": (("Văn phòng HĐND và UBND", "VP"), ("Phòng Nội vụ", "NV")),
    "commune": (("Văn phòng HĐND và UBND", "VP"), ("Phòng Văn hóa - Xã hội", "VHXH")),
}
# Relative share of the province's documents each kind of agency handles.
WEIGHTS = {"province": 24.0, "department": 8.0, "district": 6.0, "commune": 1.5}
SIGNERS = {"province": "Chủ tịch", "department": "Giám đốc", "district": "Chủ tịch", "commune": "Chủ tịch"}
ROLE_KEYS = {
    "clerk": Role.CLERK,
    "leader": Role.AGENCY_LEADER,
    "head": Role.HEAD_OF_DIVISION,
    "specialist": Role.SPECIALIST,
}
SYNTHETIC_PREFIX = "vb"  # usernames of the generated staff: vb<agency id>.<role>


@dataclass
class AgencyInfo:
    """One agency as the writer sees it (ids only, plus its calendar)."""

    pk: int
    name: str
    path: str
    code: str  # agency identifier, for document identifiers
    kind: str  # province | department | district | commune
    abbreviation: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    calendar: Calendar
    divisions: list[tuple[int, str, str]]  # (pk, name, abbreviation)
    registers: dict[str, int]  # DEN, DENM, DI, QD → register pk
    people: dict[str, tuple[int, str]]  # role key → (user pk, full name)
    needs_acceptance: bool = False
    weight: float = 1.0
    recent_incoming: list[int] = field(default_factory=list)  # document ids it could answer

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    @property
    def signer(self) -> str:
        return SIGNERS[self.kind]


def agency_kind(unit: Unit) -> str:
    if unit.kind == UnitKind.DEPARTMENT:
        return "department"
    return {UnitLevel.PROVINCE: "province", UnitLevel.DISTRICT: "district"}.get(
        UnitLevel(unit.level), "commune"
    )


def abbreviation_for(unit: Unit) -> str:
    """``UBND`` for a People's Committee, the initials for a department (``SYT``)."""
    if unit.kind == UnitKind.PEOPLES_COMMITTEE:
        return "UBND"
    words = [
        w for w in unit.name.replace("-", " ").replace(",", " ").split() if w[:1].isalpha() and w != "và"
    ]
    return "".join(w[0].upper() for w in words)[:10]


def all_agencies() -> list[Unit]:
    """Every People's Committee and department there is or was (old units keep their history)."""
    return list(Unit.objects.filter(kind__in=AGENCY_KINDS).order_by("path"))


def ensure_divisions(unit: Unit, kind: str, by: User | None) -> list[tuple[int, str, str]]:
    found = list(Unit.objects.filter(parent=unit, kind=UnitKind.DIVISION).order_by("sort_order", "pk"))
    if not found:
        for name, abbreviation in DIVISIONS[kind]:
            division = org_services.unit_create(
                name=name,
                kind=UnitKind.DIVISION,
                level=unit.level,
                parent=unit,
                valid_from=unit.valid_from,
                by=by,
            )
            if unit.valid_to is not None:
                org_services.unit_close(unit=division, on=unit.valid_to, by=by)
            DocumentProfile.objects.get_or_create(unit=division, defaults={"abbreviation": abbreviation})
            found.append(division)
    profiles = dict(DocumentProfile.objects.filter(unit__in=found).values_list("unit_id", "abbreviation"))
    return [(d.pk, d.name, profiles.get(d.pk, "")) for d in found]


def _registers(unit: Unit, kind: str, by: User | None) -> dict[str, int]:
    wanted: list[tuple[str, str, str, bool, list[str]]] = [
        ("DEN", RegisterKind.INCOMING, "Sổ văn bản đến", False, []),
        ("DENM", RegisterKind.INCOMING, "Sổ văn bản đến mật", True, []),
        ("DI", RegisterKind.OUTGOING, "Sổ văn bản đi", False, []),
    ]
    if unit.kind == UnitKind.PEOPLES_COMMITTEE:
        wanted.append(("QD", RegisterKind.OUTGOING, "Sổ quyết định", False, ["QD"]))
    out = {}
    for code, register_kind, name, secret, types in wanted:
        register, _created = Register.objects.get_or_create(
            agency=unit,
            code=code,
            defaults={
                "kind": register_kind, "name": name, "is_secret": secret, "document_types": types, "created_by": by,
            },
        )  # fmt: skip
        out[code] = register.pk
    return out


def _people(
    unit: Unit, divisions: list[tuple[int, str, str]], rng: random.Random, by: User | None
) -> dict[str, tuple[int, str]]:
    """The first holder of each role in the agency or its divisions; a synthetic one if none."""
    unit_ids = [unit.pk, *(d[0] for d in divisions)]
    held = (
        RoleAssignment.objects.active()
        .filter(unit_id__in=unit_ids, role__in=list(ROLE_KEYS.values()))
        .order_by("pk")
        .values_list("role", "user_id", "user__full_name")
    )
    people: dict[str, tuple[int, str]] = {}
    for role, user_id, full_name in held:
        key = next(k for k, r in ROLE_KEYS.items() if r == role)
        people.setdefault(key, (user_id, full_name))
    for key, role in ROLE_KEYS.items():
        if key in people:
            continue
        name, _female = _person(rng)
        username = f"{SYNTHETIC_PREFIX}{unit.pk}.{key}"
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, full_name=name, password=make_password(None)
        )
        where = unit if key in ("clerk", "leader") or not divisions else Unit.objects.get(pk=divisions[-1][0])
        account_services.role_grant(user=user, unit=where, role=role, by=by)
        people[key] = (user.pk, user.full_name)
    return people


def prepare_agencies(
    units: list[Unit], *, seed: int, by: User | None, weights: dict[str, float] | None = None
) -> list[AgencyInfo]:
    """Make each agency ready for office work (idempotent) and describe it for the writer."""
    rng = random.Random(seed)
    infos = []
    for unit in units:
        kind = agency_kind(unit)
        profile, _created = DocumentProfile.objects.get_or_create(
            unit=unit, defaults={"abbreviation": abbreviation_for(unit), "review_roles": REVIEW_ROLES}
        )
        divisions = ensure_divisions(unit, kind, by)
        infos.append(
            AgencyInfo(
                pk=unit.pk, name=unit.name, path=unit.path, code=unit.agency_code, kind=kind,
                abbreviation=profile.abbreviation or abbreviation_for(unit), valid_from=unit.valid_from,
                valid_to=unit.valid_to, calendar=calendar_for_unit(unit), divisions=divisions,
                registers=_registers(unit, kind, by), people=_people(unit, divisions, rng, by),
                needs_acceptance=profile.done_needs_acceptance, weight=(weights or WEIGHTS)[kind],
            )
        )  # fmt: skip
    return infos
