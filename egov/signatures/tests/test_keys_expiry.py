"""Keys whose certificate ends soon: the agency's unit administrators (or the person) get one
message per key at 30 days and another at 7 days, from the periodic jobs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import _person
from egov.accounts.models import Role
from egov.notifications.models import StaffMessage
from egov.orgs.models import Unit
from egov.signatures.models import KeyBackend, SigningKey
from egov.signatures.services_keys import keys_expiry_warn

pytestmark = pytest.mark.django_db


def _unit(name: str, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(name=name, kind="committee", level="province", parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def _key(days: float, **owner: object) -> SigningKey:
    return SigningKey.objects.create(
        label="Khóa", backend=KeyBackend.PKCS12, not_after=timezone.now() + dt.timedelta(days=days), **owner
    )


def test_agency_admins_warned_once_per_threshold() -> None:
    province = _unit("UBND tỉnh")
    agency = _unit("Sở Tư pháp", province)
    admin, above = (
        _person("qt.so", roles=[(agency, Role.UNIT_ADMIN)]),
        _person("qt.tinh", roles=[(province, Role.UNIT_ADMIN)]),
    )
    clerk = _person("vt.so", roles=[(agency, Role.CLERK)])
    key = _key(20, unit=agency)
    _key(60, unit=agency)  # not yet
    SigningKey.objects.filter(pk=_key(3, unit=agency).pk).update(is_active=False)  # retired: never
    assert keys_expiry_warn() == 1
    messages = StaffMessage.objects.filter(kind="signatures.key_expiring_30")
    assert {m.recipient_id for m in messages} == {admin.pk, above.pk}
    assert not StaffMessage.objects.filter(recipient=clerk).exists()
    assert f"/signatures/agencies/{agency.pk}/keys/" in messages[0].link
    assert timezone.localtime(key.not_after).strftime("%d/%m/%Y") in messages[0].subject
    assert keys_expiry_warn() == 0  # once
    later = timezone.now() + dt.timedelta(days=14)
    assert keys_expiry_warn(now=later) == 1  # the 7-day threshold
    assert StaffMessage.objects.filter(kind="signatures.key_expiring_7").count() == 2
    assert keys_expiry_warn(now=later) == 0


def test_person_warned_and_periodic_jobs_run_it() -> None:
    from egov.commands.processes import run_periodic_jobs

    person = _person("nguoi.ky")
    _key(10, user=person)
    result = run_periodic_jobs()
    assert result["signing_keys_expiry_warned"] == 1
    assert StaffMessage.objects.get(recipient=person).kind == "signatures.key_expiring_30"
    assert "device_signatures_purged" in result
