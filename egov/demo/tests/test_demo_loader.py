from __future__ import annotations

import pytest

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.services import audit_verify
from egov.catalog.data import HOURS_PER_DAY
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.selectors import procedure_search
from egov.demo.loader import REORG_ON, demo_logins, load_demo, load_reference
from egov.orgs.models import Unit, UnitKind

SMALL = 60  # dossiers a year: the real size (DOSSIERS_PER_YEAR) only in `egov demo`


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_province_catalogue_and_logins_load_once() -> None:
    logins = load_demo(dossiers_per_year=SMALL)
    assert {login.username for login in logins} >= {
        "admin",
        "quantri.xa",
        "motcua.xa",
        "danhmuc",
        "congdan",
    }
    current = Unit.objects.filter(valid_to__isnull=True)
    # Kiên Giang's three levels, closed on 1 July 2025 and kept for history.
    assert Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to=REORG_ON).count() == 15
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to=REORG_ON).count() == 143
    assert Unit.objects.filter(kind=UnitKind.ONE_STOP, valid_to=REORG_ON).count() == 159
    # Today: the two-level An Giang.
    assert current.filter(kind=UnitKind.DEPARTMENT).count() == 22
    assert not current.filter(kind=UnitKind.DISTRICT).exists()
    assert current.filter(kind=UnitKind.COMMUNE).count() == 102
    assert current.get(kind=UnitKind.PROVINCE).name == "Tỉnh An Giang"
    committees = current.filter(kind=UnitKind.PEOPLES_COMMITTEE)
    assert committees.exclude(agency_code="").count() == committees.count()
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    assert published.count() >= 40
    for level in ("commune", "province"):
        assert published.filter(levels__icontains=f'"{level}"').count() >= 8, level
    # District-level procedures until the 2025 reorganisation, then republished at the commune.
    superseded = ProcedureVersion.objects.filter(status=VersionStatus.SUPERSEDED)
    assert superseded.filter(levels__icontains='"district"').count() >= 8
    assert next(v.name for v in procedure_search(q="dang ky khai sinh")).startswith("Đăng ký khai sinh")
    assert RoleAssignment.objects.filter(user__username="danhmuc", role=Role.CATALOGUE_OFFICER).exists()
    assert audit_verify().ok
    users = User.objects.count()
    assert load_demo(dossiers_per_year=SMALL) == demo_logins()
    assert User.objects.count() == users


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_processes_fit_their_legal_limits() -> None:
    load_reference()
    for version in ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).prefetch_related(
        "channels", "process_steps"
    ):
        direct = next(c for c in version.channels.all() if c.channel == "direct")
        limit = direct.time_amount * (1 if direct.time_unit == "working_hours" else HOURS_PER_DAY)
        for level in version.levels:
            steps = [s for s in version.process_steps.all() if s.level == level]
            assert steps, (version.procedure.code, level)
            hours = sum(
                s.budget_amount * (1 if s.budget_unit == "working_hours" else HOURS_PER_DAY) for s in steps
            )
            assert hours <= limit, (version.procedure.code, level)
