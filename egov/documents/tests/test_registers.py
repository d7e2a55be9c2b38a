"""Registers and office-work settings by the agency's administrator: services, bad input, pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import _person, sign_in
from egov.accounts.models import Role
from egov.audit.models import AuditEntry, AuditEvent
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import DocumentProfile, Register, RegisterKind
from egov.documents.services import registers as services
from egov.documents.tests.conftest import Office

pytestmark = pytest.mark.django_db


def test_admin_creates_renames_and_retires_a_register(office: Office) -> None:
    c = office.committee
    register = services.register_save(
        agency=c.unit,
        by=office.admin,
        kind=RegisterKind.OUTGOING,
        name="Sổ quyết định",
        code="qd",
        document_types=["QD"],
    )
    assert (register.code, register.document_types, register.is_active) == ("QD", ["QD"], True)
    services.register_save(
        agency=c.unit,
        by=office.admin,
        register=register,
        kind=RegisterKind.OUTGOING,
        name="Sổ quyết định cá biệt",
        code="QD",
        document_types=["QD"],
        is_active=False,
    )
    register.refresh_from_db()
    assert (register.name, register.is_active) == ("Sổ quyết định cá biệt", False)
    entries = AuditEntry.objects.filter(event=AuditEvent.REGISTER_SAVED, target_id=str(register.pk)).order_by(
        "seq"
    )
    assert [e.after["name"] for e in entries] == ["Sổ quyết định", "Sổ quyết định cá biệt"]
    assert entries.last().before["name"] == "Sổ quyết định"
    assert entries.last().scope_path == c.unit.path


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "den"}, "code"),  # the committee's incoming register is DEN already
        ({"code": "D E N"}, "code"),
        ({"code": ""}, "code"),
        ({"name": "  "}, "name"),
        ({"kind": "sideways"}, "kind"),
        ({"document_types": ["XX"]}, "document_types"),
    ],
)
def test_bad_register_input_is_refused_on_its_field(office: Office, values: dict, field: str) -> None:
    args = {"kind": RegisterKind.INCOMING, "name": "Sổ đến 2", "code": "DEN2", **values}
    before = Register.objects.count()
    with pytest.raises(DocumentError) as caught:
        services.register_save(agency=office.committee.unit, by=office.admin, **args)
    assert caught.value.field == field
    assert Register.objects.count() == before


def test_a_used_register_keeps_its_kind(office: Office, registered) -> None:
    registered()
    c = office.committee
    with pytest.raises(DocumentError) as caught:
        services.register_save(
            agency=c.unit,
            by=office.admin,
            register=c.incoming,
            kind=RegisterKind.OUTGOING,
            name="x",
            code="DEN",
        )
    assert caught.value.field == "kind"


def test_only_the_agencys_administrator_sets_registers(office: Office) -> None:
    c = office.committee
    for who in (c.clerk, c.leader, office.department.clerk):
        with pytest.raises(ActionForbidden):
            services.register_save(agency=c.unit, by=who, kind="incoming", name="x", code="X1")
    dept_admin = _person("quantri.s", roles=[(office.department.unit, Role.UNIT_ADMIN)])
    with pytest.raises(ActionForbidden):
        services.register_save(agency=c.unit, by=dept_admin, kind="incoming", name="x", code="X1")
    # The committee's administrator covers the department below it.
    services.register_save(
        agency=office.department.unit, by=office.admin, kind="incoming", name="x", code="X1"
    )


def test_profile_saved_and_bad_input_refused(office: Office) -> None:
    c = office.committee
    profile = services.document_profile_save(
        unit=c.division,
        by=office.admin,
        abbreviation="VP",
        review_roles=["agency_leader"],
        done_needs_acceptance=True,
    )
    assert profile.pk == DocumentProfile.objects.get(unit=c.division).pk
    assert (profile.review_roles, profile.done_needs_acceptance) == (["agency_leader"], True)
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_PROFILE_SAVED).count() == 1
    for abbreviation, roles, field in [
        ("", [], "abbreviation"),
        ("UB ND", [], "abbreviation"),
        ("UBND/VP", [], "abbreviation"),
        ("UBND", ["mayor"], "review_roles"),
        ("UBND", ["agency_leader", "agency_leader"], "review_roles"),
    ]:
        with pytest.raises(DocumentError) as caught:
            services.document_profile_save(
                unit=c.unit, by=office.admin, abbreviation=abbreviation, review_roles=roles
            )
        assert caught.value.field == field
    assert DocumentProfile.objects.get(unit=c.unit).abbreviation == "UBND"
    with pytest.raises(ActionForbidden):
        services.document_profile_save(unit=c.unit, by=c.leader, abbreviation="UB")


def test_register_form_keeps_input_and_says_why_in_vietnamese(client: Client, office: Office) -> None:
    sign_in(client, office.admin)
    url = reverse("documents:register_create") + f"?agency={office.committee.unit.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "incoming", "name": "Sổ đến phụ", "code": "DEN"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "đã được dùng" in body and "Sổ đến phụ" in body
    response = client.post(url, {"kind": "incoming", "name": "Sổ đến phụ", "code": "DEN2", "is_active": "on"})
    created = Register.objects.get(code="DEN2")
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:register", args=[created.pk]
    )


def test_settings_form_saves_the_chain_in_order(client: Client, office: Office) -> None:
    sign_in(client, office.admin)
    url = reverse("documents:office_settings", args=[office.committee.unit.pk])
    response = client.post(url, {"abbreviation": "UB ND", "review_1": "head_of_division"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "không có khoảng trắng" in body and 'value="UB ND"' in body
    response = client.post(
        url, {"abbreviation": "UBT", "review_1": "head_of_division", "review_3": "agency_leader"}
    )
    assert response.status_code == 302
    profile = DocumentProfile.objects.get(unit=office.committee.unit)
    assert (profile.abbreviation, profile.review_roles) == ("UBT", ["head_of_division", "agency_leader"])


def test_register_page_lists_the_year_newest_first(client: Client, office: Office, registered) -> None:
    registered()
    registered(number="77", notation="UBND-VP", issuer_name="UBND huyện A")
    sign_in(client, office.committee.clerk)
    body = client.get(reverse("documents:register", args=[office.committee.incoming.pk])).content.decode()
    assert body.index("UBND huyện A") < body.index("Bộ Nội vụ")
