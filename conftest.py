"""Shared fixtures: a small province built through the real services, and test personas.

Personas (as in the Healthchecks codebase): a system administrator, the unit administrator of
district A, a one-stop officer of commune A1 and one of commune B1 (another district), a
citizen, and anonymous. Tests ask "who may see what" across them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import services as account_services
from egov.accounts.models import AccountKind, Role, User
from egov.catalog import services as catalog_services
from egov.catalog.models import ProcedureVersion
from egov.catalog.tests.samples import birth_registration
from egov.dossiers.services import ApplicantIn, PaperIn, dossier_receive
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only

SMALL_PROVINCE = """gso_code,name,unit_type,level,parent_gso_code
1,Tỉnh Thử Nghiệm,Tỉnh,province,
10,Huyện A,Huyện,district,1
11,Xã A1,Xã,commune,10
12,Xã A2,Xã,commune,10
20,Huyện B,Huyện,district,1
21,Xã B1,Xã,commune,20
"""


@dataclass
class Province:
    province: Unit
    district_a: Unit
    district_b: Unit
    commune_a1: Unit
    commune_b1: Unit
    one_stop_a1: Unit
    one_stop_b1: Unit


def _area(code: str) -> Unit:
    return Unit.objects.get(
        gso_code=code, valid_to__isnull=True, kind__in=["province", "district", "commune"]
    )


def _one_stop(area: Unit) -> Unit:
    return Unit.objects.get(path__startswith=area.path, kind=UnitKind.ONE_STOP, level=area.level)


@pytest.fixture
def province(db: None) -> Province:
    org_services.units_import(content=SMALL_PROVINCE, by=None)
    a1, b1 = _area("11"), _area("21")
    return Province(
        province=_area("1"),
        district_a=_area("10"),
        district_b=_area("20"),
        commune_a1=a1,
        commune_b1=b1,
        one_stop_a1=_one_stop(a1),
        one_stop_b1=_one_stop(b1),
    )


def _person(username: str, *, kind: str = AccountKind.STAFF, roles: list[tuple[Unit, str]] = ()) -> User:  # type: ignore[assignment]
    user = account_services.user_create(
        username=username, full_name=username.title(), password=PASSWORD, kind=kind, by=None
    )
    for unit, role in roles:
        account_services.role_grant(user=user, unit=unit, role=role, by=None)
    return user


@pytest.fixture
def personas(province: Province) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "system_admin": _person("sysadmin", roles=[(province.province, Role.SYSTEM_ADMIN)]),
        "unit_admin_a": _person("admin.a", roles=[(province.district_a, Role.UNIT_ADMIN)]),
        "officer_a1": _person("officer.a1", roles=[(province.one_stop_a1, Role.ONE_STOP_OFFICER)]),
        "officer_b1": _person("officer.b1", roles=[(province.one_stop_b1, Role.ONE_STOP_OFFICER)]),
        "citizen": _person("citizen", kind=AccountKind.CITIZEN),
    }


def sign_in(client: Client, user: User) -> None:
    """Sign in as if password and TOTP had both been entered."""
    client.force_login(user)
    if user.kind == AccountKind.STAFF:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def login_as(client: Client, personas: dict[str, User | None]) -> Callable[[str], User | None]:
    def _login(name: str) -> User | None:
        user = personas[name]
        if user is not None:
            sign_in(client, user)
        return user

    return _login


@pytest.fixture
def audit_flushable(transactional_db: None) -> Any:
    """Transactional tests end with a flush, which the append-only triggers refuse: empty the
    audit table with the triggers briefly lifted, then put them back. (PostgreSQL's flush is a
    TRUNCATE, which the audit table allows only when it is already empty.)"""
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
            cursor.execute("DELETE FROM audit_auditentry")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
        return
    triggers = import_module("egov.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_REVERSE:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditentry")
        for sql in triggers.SQLITE:
            cursor.execute(sql)


# ---------------------------------------------------------------- one-stop fixtures
@pytest.fixture
def procedure(province: Province) -> ProcedureVersion:
    for area in (province.commune_a1, province.commune_b1):
        committee = Unit.objects.get(parent=area, kind=UnitKind.PEOPLES_COMMITTEE)
        Unit.objects.filter(pk=committee.pk).update(agency_code=f"000.{area.gso_code}.00.T01")
    draft = catalog_services.procedure_save_draft(data=birth_registration(cutoff=None), by=None)
    return catalog_services.procedure_publish(
        version=draft, decision_number="1/QĐ", decision_date=dt.date(2021, 1, 1), by=None
    )


APPLICANT = ApplicantIn(
    kind="citizen",
    name="Nguyễn Văn Bình",
    id_number="091090123456",
    phone="0912345678",
    email="binh@example.vn",
    address="Xã A1",
)
PAPERS = [PaperIn("Tờ khai đăng ký khai sinh", originals=1), PaperIn("Giấy chứng sinh", originals=1)]


@pytest.fixture
def receive(procedure: ProcedureVersion, province: Province, personas: dict[str, Any]) -> Any:
    def _receive(**changes: Any) -> Any:
        kwargs: dict[str, Any] = {
            "unit": province.one_stop_a1,
            "version": procedure,
            "channel": "direct",
            "applicant": APPLICANT,
            "papers": PAPERS,
            "return_method": "counter",
            "by": personas["officer_a1"],
        }
        kwargs.update(changes)
        return dossier_receive(**kwargs)

    return _receive


@pytest.fixture
def commune_staff(province: Province) -> dict[str, Any]:
    """A specialist and the chairman of commune A1's People's Committee."""
    from egov.accounts import services as accounts

    committee = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)
    people = {}
    for username, role in (("chuyenvien.a1", "specialist"), ("chutich.a1", "agency_leader")):
        person = accounts.user_create(username=username, full_name=username, password=PASSWORD, by=None)
        accounts.role_grant(user=person, unit=committee, role=role, by=None)
        people[role] = person
    return people


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgresql`` exercise what only PostgreSQL has; elsewhere they are skipped."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="PostgreSQL only: run with EGOV_DATABASE_URL=postgres://…")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)
