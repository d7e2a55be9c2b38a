"""Issue #12: the confirmed defects of the back office, each shown closed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import APPLICANT, PAPERS, Province, sign_in
from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierState
from egov.dossiers.selectors import dossier_list, dossiers_visible_to
from egov.dossiers.tests.test_views import PDF, _intake
from egov.dossiers.views import ACTIONS

# ---------------------------------------------------------------- the decision belongs to the leader


def test_a_specialist_cannot_decide_at_the_examination_step_through_the_api(
    client: Client, receive: Any, commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    sign_in(client, commune_staff["specialist"])
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/decide",
        {"outcome": "approved", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "http_error"
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.PROCESSING


def test_every_service_refuses_a_forbidden_actor(
    receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    specialist, officer_b1 = commune_staff["specialist"], personas["officer_b1"]
    with pytest.raises(services.ActionForbidden):
        services.dossier_decide(dossier=dossier, outcome="approved", reason="", by=specialist)
    for by in (None, officer_b1, personas["unit_admin_a"], personas["citizen"]):
        with pytest.raises(services.ActionForbidden):
            services.step_forward(dossier=dossier, by=by)
        with pytest.raises(services.ActionForbidden):
            services.dossier_pause(dossier=dossier, kind="obligation", reason="x", by=by)
        with pytest.raises(services.ActionForbidden):
            services.dossier_withdraw(dossier=dossier, reason="x", by=by)
    with pytest.raises(services.ActionForbidden):
        services.step_assign(dossier=dossier, to=specialist, by=specialist)
    with pytest.raises(services.ActionForbidden):
        services.dossier_refuse_intake(
            unit=dossier.receiving_unit, version=dossier.procedure_version, applicant=APPLICANT,
            reason="Thiếu", by=officer_b1,
        )  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING and dossier.events.count() == 3


def test_a_step_is_assigned_only_to_someone_holding_its_role(
    receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    dossier = receive()
    with pytest.raises(services.DossierError) as caught:
        services.step_assign(dossier=dossier, to=personas["officer_b1"], by=commune_staff["agency_leader"])
    assert caught.value.field == "to"


def test_only_the_applicant_sends_a_supplement(
    receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]
) -> None:
    citizen, officer = personas["citizen"], personas["officer_a1"]
    dossier = receive(applicant_user=citizen)
    services.dossier_pause(dossier=dossier, kind="supplement", reason="Thiếu", items="Giấy", by=officer)
    scan = SimpleUploadedFile("bo-sung.pdf", PDF, "application/pdf")
    for by in (officer, commune_staff["specialist"], None):
        with pytest.raises(services.ActionForbidden):
            services.dossier_supplement_submit(dossier=dossier, files=[scan], by=by)
    assert services.dossier_supplement_submit(dossier=dossier, files=[scan], by=citizen)


# ---------------------------------------------------------------- 1. citizens and the back office


def test_a_citizen_sees_nothing_of_the_back_office_of_their_own_dossier(
    client: Client, receive: Any, personas: dict[str, Any]
) -> None:
    citizen = personas["citizen"]
    dossier = receive(
        applicant_user=citizen, files=[SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")]
    )
    scan = dossier.files.get()
    sign_in(client, citizen)
    url = dossier.get_absolute_url()
    for path in (url, f"{url}form-01.pdf", f"{url}form-06.pdf", f"{url}files/{scan.pk}/", "/dossiers/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{url}withdraw/", {"withdraw-reason": "x"}).status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.pk}").status_code == 404
    assert client.get("/api/v1/dossiers").status_code == 404
    assert not dossier_list(citizen, view="all").exists()
    # The portal still shows the citizen their dossier.
    assert client.get(reverse("portal:dossier", kwargs={"pk": dossier.pk})).status_code == 200


# ---------------------------------------------------------------- 2. intake tokens stay at their counter


def _second_officer_at_a1(province: Province) -> Any:
    officer = accounts.user_create(username="officer.a1bis", full_name="Officer A1 bis", by=None)
    accounts.role_grant(user=officer, unit=province.one_stop_a1, role=Role.ONE_STOP_OFFICER, by=None)
    return officer


def _api_intake(unit: Any, token: str) -> dict[str, Any]:
    return {
        "unit_id": unit.pk,
        "procedure_code": "1.001193",
        "applicant_name": "Lê Thị Hoa",
        "papers": [{"name": "Tờ khai", "originals": 1}],
        "intake_token": token,
    }


def test_an_intake_token_of_another_officer_is_refused_by_the_api(
    client: Client, receive: Any, province: Province, personas: dict[str, Any]
) -> None:
    first = receive(intake_token="tok-a")
    for officer, unit in (
        (personas["officer_b1"], province.one_stop_b1),
        (_second_officer_at_a1(province), province.one_stop_a1),
    ):
        sign_in(client, officer)
        response = client.post(
            "/api/v1/dossiers", _api_intake(unit, "tok-a"), content_type="application/json"
        )
        assert response.status_code == 422, response.content
        body = response.content.decode()
        assert "intake_token" in response.json()["error"]["fields"]
        assert first.applicant_name not in body and first.code not in body
    assert Dossier.objects.count() == 1
    # The officer who made it gets it back.
    sign_in(client, personas["officer_a1"])
    again = client.post(
        "/api/v1/dossiers", _api_intake(province.one_stop_a1, "tok-a"), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == first.pk


def test_an_intake_token_of_another_officer_on_the_page_is_a_form_error_then_a_new_reception(
    client: Client, receive: Any, province: Province, personas: dict[str, Any]
) -> None:
    first = receive(intake_token="tok-a")
    sign_in(client, personas["officer_b1"])
    form = _intake(province.one_stop_b1, token="tok-a")
    response = client.post("/dossiers/receive/1.001193/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "hãy mở phiếu mới" in page  # the error, in Vietnamese, above the form
    assert first.code not in page and "tok-a" not in page
    assert Dossier.objects.count() == 1
    # The page hands out a fresh token: sending the form again receives the dossier.
    fresh = response.context["form"].data["intake_token"]
    assert fresh != "tok-a"
    again = client.post("/dossiers/receive/1.001193/", _intake(province.one_stop_b1, token=fresh))
    assert again.status_code == 302
    made = Dossier.objects.exclude(pk=first.pk).get()
    assert made.receiving_unit == province.one_stop_b1 and made.created_by == personas["officer_b1"]


# ---------------------------------------------------------------- 5. visibility comes from dossier roles


@pytest.mark.parametrize(
    ("role", "sees"), [(Role.CATALOGUE_OFFICER, False), (Role.UNIT_ADMIN, False), (Role.AUDITOR, True)]
)
def test_only_dossier_roles_and_the_auditor_see_dossiers(
    client: Client, receive: Any, province: Province, role: str, sees: bool
) -> None:
    dossier = receive(files=[SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")])
    scan = dossier.files.get()
    person = accounts.user_create(username=f"p.{role}", full_name=role, by=None)
    accounts.role_grant(user=person, unit=province.province, role=role, by=None)
    sign_in(client, person)
    url = dossier.get_absolute_url()
    expected = 200 if sees else 404
    assert client.get(url).status_code == expected
    assert client.get(f"{url}files/{scan.pk}/").status_code == expected
    assert client.get(f"/api/v1/dossiers/{dossier.pk}").status_code == expected
    assert dossiers_visible_to(person).exists() is sees
    if sees:  # read-only: no button, and every action refused
        page = client.get(url).content.decode()
        assert not any(f'action="{url}{action}/"' in page for action in ACTIONS)
        assert client.post(f"{url}withdraw/", {"withdraw-reason": "x"}).status_code == 403


def test_the_unit_admin_still_manages_staff_but_reads_no_dossier(
    client: Client, receive: Any, login_as: Callable[[str], Any]
) -> None:
    dossier = receive()
    login_as("unit_admin_a")
    assert client.get("/accounts/staff/").status_code == 200
    assert client.get(dossier.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/dossiers").json()["count"] == 0


def test_online_submission_keeps_its_own_token_per_applicant(
    procedure: Any, province: Province, personas: dict[str, Any]
) -> None:
    kwargs: dict[str, Any] = {
        "unit": province.one_stop_a1,
        "version": procedure,
        "applicant": APPLICANT,
        "papers": PAPERS,
        "return_method": "counter",
        "applicant_user": personas["citizen"],
        "intake_token": "tok-online",
    }
    first = services.dossier_register_online(**kwargs)
    assert services.dossier_register_online(**kwargs) == first


def test_a_model_error_naming_several_fields_becomes_form_errors_not_a_crash() -> None:
    from django.core.exceptions import ValidationError

    from egov.dossiers.forms import IntakeForm
    from egov.dossiers.views import _add_validation_error

    form = IntakeForm({})
    form.is_valid()
    error = ValidationError({"applicant_name": ["Tên quá dài."], "intake_token": ["Đã dùng."]})
    _add_validation_error(form, error, "files")
    assert "Tên quá dài." in form.errors["applicant_name"]
    assert "Đã dùng." in form.errors["intake_token"]
