from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import Province
from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.models import AuditEntry, AuditEvent
from egov.audit.services import audit_verify

VALID = {
    "username": "nguyen.b",
    "full_name": "Nguyễn Thị Bình",
    "email": "binh@example.vn",
    "phone": "0912 345 678",
    "role": Role.SPECIALIST,
    "password": "a-long-enough-passphrase",
}


def test_unit_admin_creates_staff_in_a_commune_of_their_district(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    admin = login_as("unit_admin_a")
    response = client.post(
        f"/accounts/staff/new/{province.one_stop_a1.pk}/",
        VALID,
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-12345678",
    )
    assert response.status_code == 302
    person = User.objects.get(username="nguyen.b")
    assert person.full_name == "Nguyễn Thị Bình"
    assert RoleAssignment.objects.active().get(user=person).unit == province.one_stop_a1
    created = AuditEntry.objects.get(event=AuditEvent.USER_CREATED, target_id=str(person.pk))
    assert (created.actor, created.ip, created.request_id) == (admin, "10.1.2.3", "req-12345678")
    assert "password" not in created.after
    granted = AuditEntry.objects.get(event=AuditEvent.ROLE_GRANTED, target_id=str(person.pk))
    assert granted.scope_path == province.one_stop_a1.path
    assert audit_verify().ok


def test_invalid_staff_form_explains_in_vietnamese_and_saves_nothing(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("unit_admin_a")
    before_users, before_audit = User.objects.count(), AuditEntry.objects.count()
    bad = {**VALID, "username": "Có Dấu", "phone": "abc", "password": "123", "role": Role.SYSTEM_ADMIN}
    response = client.post(f"/accounts/staff/new/{province.one_stop_a1.pk}/", bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nguyễn Thị Bình" in body  # what the clerk typed is kept
    assert 'aria-invalid="true"' in body
    assert "Mật khẩu quá ngắn" in body
    assert "Hãy chọn một lựa chọn hợp lệ" in body  # a unit admin cannot create system administrators
    assert (User.objects.count(), AuditEntry.objects.count()) == (before_users, before_audit)


def test_granting_a_role_twice_is_refused_with_a_message(
    client: Client, personas: dict[str, Any], province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("unit_admin_a")
    officer = personas["officer_a1"]
    form = {"unit": province.one_stop_a1.pk, "role": Role.ONE_STOP_OFFICER}
    response = client.post(f"/accounts/staff/{officer.pk}/", form)
    assert response.status_code == 422
    assert RoleAssignment.objects.active().filter(user=officer).count() == 1


def test_unit_admin_cannot_grant_in_another_district(
    client: Client, personas: dict[str, Any], province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("unit_admin_a")
    officer = personas["officer_a1"]
    response = client.post(
        f"/accounts/staff/{officer.pk}/", {"unit": province.one_stop_b1.pk, "role": Role.CLERK}
    )
    assert response.status_code == 422  # B1 is not even offered as a choice
    assert not RoleAssignment.objects.filter(user=officer, unit=province.one_stop_b1).exists()


def test_a_person_can_hold_several_roles_in_several_units(
    client: Client, personas: dict[str, Any], province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    officer = personas["officer_a1"]
    assert (
        client.post(
            f"/accounts/staff/{officer.pk}/", {"unit": province.one_stop_b1.pk, "role": Role.CLERK}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/accounts/staff/{officer.pk}/", {"unit": province.commune_a1.pk, "role": Role.AUDITOR}
        ).status_code
        == 302
    )
    roles = set(RoleAssignment.objects.active().filter(user=officer).values_list("unit_id", "role"))
    assert roles == {
        (province.one_stop_a1.pk, Role.ONE_STOP_OFFICER),
        (province.one_stop_b1.pk, Role.CLERK),
        (province.commune_a1.pk, Role.AUDITOR),
    }
