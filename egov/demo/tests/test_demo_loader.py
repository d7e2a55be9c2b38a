from __future__ import annotations

import pytest

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.services import audit_verify
from egov.catalog.data import HOURS_PER_DAY
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.selectors import procedure_search
from egov.demo.loader import demo_logins, load_demo
from egov.orgs.models import Unit, UnitKind


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_province_catalogue_and_logins_load_once() -> None:
    logins = load_demo()
    assert {login.username for login in logins} >= {
        "admin",
        "quantri.huyen",
        "motcua.xa",
        "danhmuc",
        "congdan",
    }
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 22
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 15
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 143
    assert Unit.objects.filter(kind=UnitKind.ONE_STOP).count() == 159
    committees = Unit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE)
    assert committees.exclude(agency_code="").count() == committees.count()
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    assert published.count() >= 40
    for level in ("commune", "district", "province"):
        assert published.filter(levels__icontains=f'"{level}"').count() >= 8, level
    assert next(v.name for v in procedure_search(q="dang ky khai sinh")).startswith("Đăng ký khai sinh")
    assert RoleAssignment.objects.filter(user__username="danhmuc", role=Role.CATALOGUE_OFFICER).exists()
    assert audit_verify().ok
    users = User.objects.count()
    assert load_demo() == demo_logins()
    assert User.objects.count() == users


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_processes_fit_their_legal_limits() -> None:
    load_demo()
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
