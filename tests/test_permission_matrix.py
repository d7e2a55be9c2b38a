"""Every page and API operation of every app, against every persona (NetBox-style).

The list of endpoints is generated from the URL conf and the OpenAPI document: a new view or API
operation without an entry in ``MATRIX`` fails ``test_every_endpoint_has_an_entry``. Each entry
says, for each persona, the status code the request must answer. POSTs are sent empty (or with a
harmless body) inside a savepoint that is rolled back, so no request changes what the next sees.

To print the statuses the code gives today (when adding a row), run with EGOV_MATRIX_RECORD=1 and -s.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import Province, _person, sign_in
from egov.accounts.models import AccountKind, Role, RoleAssignment, User
from egov.catalog.models import ProcedureVersion
from egov.documents.tests.matrix import CASES as DOCUMENT_CASES
from egov.dossiers import services as dossiers
from egov.dossiers.models import Dossier, FileKind
from egov.dossiers.tests.factories import dossier_in_state
from egov.orgs.models import Unit, UnitKind
from egov.portal import services as portal
from egov.portal.tests.conftest import pdf
from egov.site.api import api
from egov.workcal.services import calendar_override_set, work_calendar_create

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "citizen",  # owns the online dossier, the draft and the feedback
    "citizen_other",
    "system_admin",
    "unit_admin_a",  # staff management of district A: no dossier work
    "officer_a1",  # one-stop officer of commune A1 (receives the dossiers)
    "officer_b1",  # one-stop officer of commune B1 (another district)
    "specialist_a1",  # specialist of commune A1's People's Committee
    "leader_a1",  # chairman of commune A1's People's Committee
    "catalogue_officer",  # province catalogue officer: procedures only
    "auditor",  # province auditor: reads, never acts
]


@dataclass
class World:
    province: Province
    procedure: ProcedureVersion
    people: dict[str, User | None]
    counter_dossier: Dossier  # received at A1's counter, forwarded to the leader's signing step
    online_dossier: Dossier  # the citizen's, resolved with a result to download online
    draft_pk: int
    feedback_pk: int
    override_pk: int
    role_pk: int

    @property
    def counter_file_pk(self) -> int:
        return self.counter_dossier.files.get().pk

    @property
    def result_pk(self) -> int:
        return self.online_dossier.files.get(kind=FileKind.RESULT).pk


@pytest.fixture
def world(province: Province, procedure: ProcedureVersion, personas: dict[str, User | None]) -> World:
    committee = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)
    people = dict(personas)
    people["citizen_other"] = _person("citizen.other", kind=AccountKind.CITIZEN)
    people["specialist_a1"] = _person("specialist.a1", roles=[(committee, Role.SPECIALIST)])
    people["leader_a1"] = _person("leader.a1", roles=[(committee, Role.AGENCY_LEADER)])
    people["catalogue_officer"] = _person("catalogue", roles=[(province.province, Role.CATALOGUE_OFFICER)])
    people["auditor"] = _person("auditor", roles=[(province.province, Role.AUDITOR)])
    citizen = people["citizen"]
    assert citizen is not None
    portal.profile_save(
        user=citizen,
        applicant_kind="citizen",
        full_name="Trần Thị Mai",
        id_number="001199012345",
        address="Thôn 1, Xã A1",
        phone="0912345678",
        email="mai@example.vn",
    )
    crew: dict[str, Any] = {
        "unit": province.one_stop_a1,
        "version": procedure,
        "officer": people["officer_a1"],
        "specialist": people["specialist_a1"],
        "leader": people["leader_a1"],
    }
    counter = dossier_in_state(
        "step3",
        **crew,
        applicant=dossiers.ApplicantIn(kind="citizen", name="Nguyễn Văn Bình", phone="0912345679"),
        files=[pdf("to-khai.pdf")],
    )
    online = dossier_in_state(
        "resolved",
        **crew,
        online=True,
        applicant=dossiers.ApplicantIn(kind="citizen", name="Trần Thị Mai", phone="0912345678"),
        return_method="online",
        applicant_user=citizen,
        files=[pdf("giay-chung-sinh.pdf")],
        result_file=pdf("kq.pdf"),
    )
    draft = portal.draft_start(user=citizen, version=procedure)
    feedback = portal.feedback_send(
        by=citizen, kind="feedback", about="dossier", subject="Chậm", body="Hồ sơ chậm", dossier=online
    )
    calendar = work_calendar_create(unit=province.province, by=None)
    override = calendar_override_set(
        calendar=calendar,
        date=dt.date(2030, 3, 4),
        working=False,
        reason="Nghỉ bù",
        legal_basis="CV 1/UBND",
        by=None,
    )
    role = RoleAssignment.objects.get(user=people["officer_b1"])
    return World(
        province=province,
        procedure=procedure,
        people=people,
        counter_dossier=counter,
        online_dossier=online,
        draft_pk=draft.pk,
        feedback_pk=feedback.pk,
        override_pk=override.pk,
        role_pk=role.pk,
    )


# ---------------------------------------------------------------- the endpoints


@dataclass(frozen=True)
class Case:
    """One request: the URL (built from the world), its method and body, and the expected
    status per persona, in PERSONAS order."""

    endpoint: str  # a URL name ("dossiers:detail") or an API operation ("GET /api/v1/me")
    url: Callable[[World], str]
    expected: tuple[int, ...]
    method: str = "GET"
    body: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None
    json: bool = False


def _code(w: World) -> str:
    return w.procedure.procedure.code


def _d(w: World) -> int:
    return w.counter_dossier.pk


def _o(w: World) -> int:
    return w.online_dossier.pk


def _report(w: World) -> str:
    return f"unit_id={w.province.commune_a1.pk}&start=2026-01-01&end=2026-06-30"


def _report_page(w: World) -> str:
    return (
        f"unit={w.province.commune_a1.pk}&start=01/01/2026&end=30/06/2026&col=received_total&group_by=field"
    )


def _procedure_body(w: World) -> dict[str, Any]:
    """The procedure in force as the API shows it: a valid draft body."""
    return dict(Client().get(f"/api/v1/procedures/{_code(w)}").json())


def _receive_body(w: World) -> dict[str, Any]:
    return {
        "unit_id": w.province.one_stop_a1.pk,
        "procedure_code": _code(w),
        "applicant_name": "Lê Văn Cường",
        "papers": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
    }


#                    anon cit  cito sysa uadm offA offB spec lead cato audi
A = 302  # anonymous page requests go to sign in
U = 401  # anonymous API requests
CASES: list[Case] = [
    # ------------------------------------------------------------ foundation
    Case("core:home", lambda w: "/", (A, 302, 302, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case("healthz", lambda w: "/healthz", (200,) * 11),
    Case("readyz", lambda w: "/readyz", (200,) * 11),
    Case("set_language", lambda w: "/i18n/setlang/", (302,) * 11, "POST", {"language": "vi", "next": "/"}),
    Case("accounts:login", lambda w: "/accounts/login/", (200,) + (302,) * 10),  # signed in: go home
    Case("accounts:logout", lambda w: "/accounts/logout/", (302,) * 11, "POST"),
    Case(
        "accounts:otp_verify",
        lambda w: "/accounts/2fa/",
        (A, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ),
    Case(
        "accounts:otp_setup",
        lambda w: "/accounts/2fa/setup/",  # staff may replace a lost device, with a code
        (A, 302, 302, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "accounts:otp_code_issue",
        lambda w: f"/accounts/staff/{w.people['officer_a1'].pk}/enrolment-code/",  # type: ignore[union-attr]
        (A, 404, 404, 200, 200, 404, 404, 404, 404, 404, 404),
        "POST",
    ),
    Case(
        "accounts:staff_list",
        lambda w: "/accounts/staff/",
        (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "accounts:staff_create",
        lambda w: f"/accounts/staff/new/{w.province.one_stop_a1.pk}/",
        (A, 404, 404, 200, 200, 404, 404, 404, 404, 404, 404),
    ),
    Case(
        "accounts:staff_detail",
        lambda w: f"/accounts/staff/{w.people['officer_a1'].pk}/",  # type: ignore[union-attr]
        (A, 404, 404, 200, 200, 404, 404, 404, 404, 404, 404),
    ),
    Case(
        "accounts:role_revoke",
        lambda w: f"/accounts/roles/{w.role_pk}/revoke/",
        (A, 404, 404, 302, 404, 404, 404, 404, 404, 404, 404),
        "POST",
    ),
    Case("orgs:tree", lambda w: "/units/", (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "orgs:unit_detail",
        lambda w: f"/units/{w.province.commune_a1.pk}/",
        (A, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case("orgs:import", lambda w: "/units/import/", (A, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403)),
    Case("audit:list", lambda w: "/audit/", (A, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200)),
    Case(
        "audit:export", lambda w: "/audit/export.xlsx", (A, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200)
    ),
    Case(
        "audit:signin_failures",
        lambda w: "/audit/sign-in-failures/",
        (A, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200),
    ),
    Case("workcal:year", lambda w: "/calendar/", (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "workcal:override_remove",
        lambda w: f"/calendar/overrides/{w.override_pk}/remove/",
        (A, 403, 403, 302, 403, 403, 403, 403, 403, 403, 403),
        "POST",
    ),
    # ------------------------------------------------------------ catalogue
    Case("catalog:public_list", lambda w: "/thu-tuc/", (200,) * 11),
    Case("catalog:public_detail", lambda w: f"/thu-tuc/{_code(w)}/", (200,) * 11),
    Case("catalog:manage_list", lambda w: "/catalog/", (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403)),
    Case("catalog:create", lambda w: "/catalog/new/", (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403)),
    Case(
        "catalog:import", lambda w: "/catalog/import/", (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403)
    ),
    Case(
        "catalog:export",
        lambda w: "/catalog/export.xlsx",
        (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case(
        "catalog:manage_detail",
        lambda w: f"/catalog/p/{_code(w)}/",
        (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case(
        "catalog:edit",
        lambda w: f"/catalog/p/{_code(w)}/edit/",
        (A, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403),
    ),
    # ------------------------------------------------------------ one-stop back office
    Case("dossiers:list", lambda w: "/dossiers/", (A, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "dossiers:intake_pick",
        lambda w: "/dossiers/receive/",
        (A, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    ),
    Case(
        "dossiers:register",
        lambda w: "/dossiers/register/",
        (A, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    ),
    Case(
        "dossiers:intake_form",
        lambda w: f"/dossiers/receive/{_code(w)}/",
        (A, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403),
    ),
    Case(
        "dossiers:intake_refuse",
        lambda w: f"/dossiers/receive/{_code(w)}/refuse/",
        (A, 403, 403, 403, 403, 422, 422, 403, 403, 403, 403),
        "POST",
    ),
    Case(
        "dossiers:detail",
        lambda w: f"/dossiers/{_d(w)}/",
        (A, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "dossiers:detail",
        lambda w: f"/dossiers/{_o(w)}/",  # the citizen's own dossier: still not the back office
        (A, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "dossiers:form_pdf",
        lambda w: f"/dossiers/{_d(w)}/form-01.pdf",
        (A, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "dossiers:form_pdf",
        lambda w: f"/dossiers/{_o(w)}/form-06.pdf",
        (A, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "dossiers:file",
        lambda w: f"/dossiers/{_d(w)}/files/{w.counter_file_pk}/",
        (A, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "dossiers:action",
        lambda w: f"/dossiers/{_d(w)}/forward/",
        (A, 404, 404, 403, 404, 403, 404, 403, 403, 404, 403),
        "POST",
    ),
    # The result's signatures (egov.dossiers.services.signing): the chairman may sign (here he
    # has no key yet: a clear 422), only the agency's clerk releases with the seal.
    Case(
        "dossiers:action",
        lambda w: f"/dossiers/{_o(w)}/sign_result/",
        (A, 404, 404, 403, 404, 403, 404, 403, 422, 404, 403),
        "POST",
    ),
    Case(
        "dossiers:action",
        lambda w: f"/dossiers/{_o(w)}/seal_result/",
        (A, 404, 404, 403, 404, 403, 404, 403, 403, 404, 403),
        "POST",
    ),
    # ------------------------------------------------------------ statistics and plans
    Case("reports:ii06a", lambda w: "/reports/ii06a/", (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "reports:drill",
        lambda w: f"/reports/ii06a/drill/?{_report_page(w)}",
        (A, 403, 403, 200, 200, 422, 422, 422, 422, 200, 200),
    ),
    Case(
        "reports:dashboard",
        lambda w: "/reports/dashboard/",
        (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "reports:dashboard_drill",
        lambda w: f"/reports/dashboard/drill/?{_report_page(w)}&procedure={_code(w)}",
        (A, 403, 403, 200, 200, 422, 422, 422, 422, 200, 200),
    ),
    Case("plans:kpis", lambda w: "/plans/kpis/", (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        "plans:index766", lambda w: "/plans/index-766/", (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200)
    ),
    # ------------------------------------------------------------ citizen portal
    Case("portal:home", lambda w: "/cong-dan/", (200,) * 11),
    Case("portal:signin", lambda w: "/cong-dan/dang-nhap/", (200,) + (302,) * 10),
    Case("portal:signup", lambda w: "/cong-dan/dang-ky/", (200,) + (302,) * 10),
    Case("portal:verify", lambda w: "/cong-dan/dang-ky/xac-nhan/", (200,) * 11),
    Case("portal:resend", lambda w: "/cong-dan/dang-ky/gui-lai-ma/", (302,) * 11, "POST"),
    Case("portal:reset_request", lambda w: "/cong-dan/quen-mat-khau/", (200,) * 11),
    Case("portal:reset_confirm", lambda w: "/cong-dan/quen-mat-khau/dat-lai/", (200,) * 11),
    Case(
        "portal:profile",
        lambda w: "/cong-dan/thong-tin-ca-nhan/",
        (A, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case("portal:apply", lambda w: f"/cong-dan/nop/{_code(w)}/", (200, 302, 302) + (403,) * 8),
    Case(
        "portal:draft_step",
        lambda w: f"/cong-dan/nhap/{w.draft_pk}/applicant/",
        (A, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:draft_autosave",
        lambda w: f"/cong-dan/nhap/{w.draft_pk}/applicant/luu/",
        (A, 302, 404, 403, 403, 403, 403, 403, 403, 403, 403),
        "POST",
    ),
    Case(
        "portal:draft_delete",
        lambda w: f"/cong-dan/nhap/{w.draft_pk}/xoa/",
        (A, 302, 404, 403, 403, 403, 403, 403, 403, 403, 403),
        "POST",
    ),
    Case(
        "portal:my_dossiers",
        lambda w: "/cong-dan/ho-so/",
        (A, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:dossier",
        lambda w: f"/cong-dan/ho-so/{_o(w)}/",
        (A, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:dossier",
        lambda w: f"/cong-dan/ho-so/{_d(w)}/",  # a counter dossier has no portal owner
        (A, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:supplement",
        lambda w: f"/cong-dan/ho-so/{_o(w)}/bo-sung/",
        (A, 302, 404, 403, 403, 403, 403, 403, 403, 403, 403),
        "POST",
    ),
    Case(
        "portal:rate",
        lambda w: f"/cong-dan/ho-so/{_o(w)}/danh-gia/",
        (A, 422, 404, 403, 403, 403, 403, 403, 403, 403, 403),
        "POST",
    ),
    Case(
        "portal:result",
        lambda w: f"/cong-dan/ho-so/{_o(w)}/ket-qua/{w.result_pk}/",
        (A, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case("portal:lookup", lambda w: "/cong-dan/tra-cuu/", (200,) * 11),
    Case("portal:transparency", lambda w: "/cong-dan/cong-khai/", (200,) * 11),
    Case(
        "portal:feedback",
        lambda w: "/cong-dan/phan-anh/",
        (A, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:feedback_new",
        lambda w: "/cong-dan/phan-anh/moi/",
        (A, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:feedback_detail",
        lambda w: f"/cong-dan/phan-anh/{w.feedback_pk}/",
        (A, 200, 404, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Case(
        "portal:staff_feedback",
        lambda w: "/cong-dan/xu-ly-phan-anh/",
        (A, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "portal:staff_feedback_answer",
        lambda w: f"/cong-dan/xu-ly-phan-anh/{w.feedback_pk}/",
        (A, 403, 403, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "portal:staff_feedback_answer",
        lambda w: f"/cong-dan/xu-ly-phan-anh/{w.feedback_pk}/",  # answering: the auditor only reads
        (A, 403, 403, 302, 404, 302, 404, 302, 302, 404, 403),
        "POST",
        {"answer": "Hồ sơ đã được giải quyết ngày 05/01/2026."},
    ),
    # ------------------------------------------------------------ API
    Case("api:openapi-json", lambda w: "/api/v1/openapi.json", (200,) * 11),
    Case("api:openapi-view", lambda w: "/api/v1/docs", (200,) * 11),
    Case("api:api-root", lambda w: "/api/v1/", (404,) * 11),
    Case(
        "GET /api/v1/units/tree",
        lambda w: "/api/v1/units/tree",
        (U, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "GET /api/v1/units/{unit_id}",
        lambda w: f"/api/v1/units/{w.province.commune_a1.pk}",
        (U, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case("GET /api/v1/me", lambda w: "/api/v1/me", (U, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case("GET /api/v1/procedures", lambda w: "/api/v1/procedures", (200,) * 11),
    Case("GET /api/v1/procedures/{code}", lambda w: f"/api/v1/procedures/{_code(w)}", (200,) * 11),
    Case(
        "PUT /api/v1/procedures/{code}/draft",
        lambda w: f"/api/v1/procedures/{_code(w)}/draft",
        (U, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403),
        "PUT",
        _procedure_body,
        True,
    ),
    Case(
        "POST /api/v1/procedures/{code}/publish",
        lambda w: f"/api/v1/procedures/{_code(w)}/publish",
        (U, 403, 403, 404, 403, 403, 403, 403, 403, 404, 403),
        "POST",
        {"decision_number": "2/QĐ", "decision_date": "2021-02-01"},
        True,
    ),
    Case(
        "GET /api/v1/dossiers",
        lambda w: "/api/v1/dossiers",
        (U, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "POST /api/v1/dossiers",
        lambda w: "/api/v1/dossiers",
        (U, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403),
        "POST",
        _receive_body,
        True,
    ),
    Case(
        "GET /api/v1/dossiers/{dossier_id}",
        lambda w: f"/api/v1/dossiers/{_d(w)}",
        (U, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "GET /api/v1/dossiers/{dossier_id}",
        lambda w: f"/api/v1/dossiers/{_o(w)}",
        (U, 404, 404, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    Case(
        "POST /api/v1/dossiers/{dossier_id}/{action}",
        lambda w: f"/api/v1/dossiers/{_d(w)}/decide",
        (U, 404, 404, 403, 404, 403, 404, 403, 200, 404, 403),
        "POST",
        {"outcome": "approved"},
        True,
    ),
    Case(
        "POST /api/v1/dossiers/{dossier_id}/{action}",
        lambda w: f"/api/v1/dossiers/{_o(w)}/sign_result",
        (U, 404, 404, 403, 404, 403, 404, 403, 422, 404, 403),
        "POST",
        {},
        True,
    ),
    Case(
        "POST /api/v1/dossiers/{dossier_id}/{action}",
        lambda w: f"/api/v1/dossiers/{_o(w)}/seal_result",
        (U, 404, 404, 403, 404, 403, 404, 403, 403, 404, 403),
        "POST",
        {},
        True,
    ),
    Case(
        "GET /api/v1/reports/ii06a",
        lambda w: f"/api/v1/reports/ii06a?{_report(w)}",
        (U, 403, 403, 200, 200, 404, 404, 404, 404, 200, 200),
    ),
    Case(
        "GET /api/v1/reports/dashboard",
        lambda w: f"/api/v1/reports/dashboard?{_report(w)}",
        (U, 403, 403, 200, 200, 404, 404, 404, 404, 200, 200),
    ),
    Case(
        "GET /api/v1/reports/kpis",
        lambda w: f"/api/v1/reports/kpis?{_report(w)}",
        (U, 403, 403, 200, 200, 404, 404, 404, 404, 200, 200),
    ),
    Case(
        "GET /api/v1/reports/index-766",
        lambda w: f"/api/v1/reports/index-766?{_report(w)}",
        (U, 403, 403, 200, 200, 404, 404, 404, 404, 200, 200),
    ),
    Case(
        "POST /api/v1/public/lookup",
        lambda w: "/api/v1/public/lookup",
        (404,) * 11,
        "POST",
        {"code": "KHONG-CO", "proof": "0912345678"},
        True,
    ),
]


# ---------------------------------------------------------------- what exists


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


# The API's operations are listed by method and path from the OpenAPI document; their URL
# patterns (one per path, shared by its methods) are covered through those.
def _api_operation_url_names() -> set[str]:
    names = set()
    for name in _walk(get_resolver().url_patterns):
        if name.startswith("api:") and name not in {"api:openapi-json", "api:openapi-view", "api:api-root"}:
            names.add(name)
    return names


def existing_endpoints() -> set[str]:
    views = {n for n in _walk(get_resolver().url_patterns)} - _api_operation_url_names()
    schema = api.get_openapi_schema()
    operations = {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}
    return views | operations


def test_every_endpoint_has_an_entry() -> None:
    # The document system's rows live with its own personas (egov/documents/tests/matrix*.py).
    covered = {case.endpoint for case in CASES} | {case.endpoint for case in DOCUMENT_CASES}
    missing = existing_endpoints() - covered
    stale = covered - existing_endpoints()
    assert not missing, f"endpoints without a permission-matrix entry: {sorted(missing)}"
    assert not stale, f"matrix entries for endpoints that no longer exist: {sorted(stale)}"


def test_every_row_names_each_persona() -> None:
    assert all(len(case.expected) == len(PERSONAS) for case in CASES)


# ---------------------------------------------------------------- the matrix


def _request(client: Client, world: World, case: Case, url: str) -> int:
    method = getattr(client, case.method.lower())
    kwargs: dict[str, Any] = {}
    body = case.body(world) if callable(case.body) else case.body
    if body is not None:
        if case.json:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        else:
            kwargs = {"data": body}
    # Each request runs in a savepoint rolled back afterwards, so no POST changes the world.
    with transaction.atomic():
        response = method(url, **kwargs)
        status = int(response.status_code)
        if os.environ.get("EGOV_MATRIX_RECORD") and status == 422:
            print("BODY", url, response.content[:3000])
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(world: World, persona: str) -> None:
    index = PERSONAS.index(persona)
    client = Client()
    user = world.people[persona]
    if user is not None:
        sign_in(client, user)
    wrong = []
    # Signing out ends the session the later rows need: it goes last.
    for case in sorted(CASES, key=lambda c: c.endpoint == "accounts:logout"):
        cache.clear()  # rate limits must not turn a later row into a 429
        url = case.url(world)
        got = _request(client, world, case, url)
        if os.environ.get("EGOV_MATRIX_RECORD"):
            print(f"MATRIX {persona:18} {case.method:5} {url:60} {got}")
        if got != case.expected[index]:
            wrong.append(f"{case.method} {url} ({case.endpoint}): expected {case.expected[index]}, got {got}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


# ---------------------------------------------------------------- what a POST really changes

REVOKE_MATRIX = {
    "anonymous": 302,
    "system_admin": 302,
    "unit_admin_a": 302,
    "officer_a1": 404,
    "officer_b1": 404,
    "citizen": 404,
}


@pytest.mark.parametrize(("persona", "status"), REVOKE_MATRIX.items())
def test_role_revoke_access(
    client: Client, personas: dict[str, Any], login_as: Callable[[str], Any], persona: str, status: int
) -> None:
    assignment = RoleAssignment.objects.get(user=personas["officer_a1"])
    login_as(persona)
    response = client.post(f"/accounts/roles/{assignment.pk}/revoke/")
    assert response.status_code == status
    assignment.refresh_from_db()
    revoked = persona in {"system_admin", "unit_admin_a"}
    assert (assignment.revoked_at is not None) is revoked


def test_unit_admin_cannot_revoke_outside_their_district(
    client: Client, personas: dict[str, Any], login_as: Callable[[str], Any]
) -> None:
    assignment = RoleAssignment.objects.get(user=personas["officer_b1"])
    login_as("unit_admin_a")
    assert client.post(f"/accounts/roles/{assignment.pk}/revoke/").status_code == 404
    assignment.refresh_from_db()
    assert assignment.revoked_at is None
