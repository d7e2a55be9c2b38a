"""Issue #13, citizen side: portal sign-in errors and lockout, ID numbers, phone display,
optional papers, the office picker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.accounts.models import AccountKind
from egov.accounts.services import user_create

pytestmark = pytest.mark.django_db
STRONG = "mot-mat-khau-rat-dai-2025"
SIGNIN = "/cong-dan/dang-nhap/"


def _citizen() -> Any:
    return user_create(
        username="+84912345678", full_name="Lê Văn Nam", password=STRONG, kind=AccountKind.CITIZEN, by=None
    )


def test_a_wrong_password_stays_on_the_portal_page_with_a_vietnamese_message(client: Client) -> None:
    _citizen()
    response = client.post(
        SIGNIN,
        {"username": "0912 345 678", "password": "sai-mat-khau", "next": "/cong-dan/ho-so/"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 422
    assert response.templates[0].name == "portal/signin.html"
    body = response.content.decode()
    assert "Số điện thoại hoặc thư điện tử, hoặc mật khẩu, không đúng" in body
    assert "Please enter a correct" not in body and 'value="0912 345 678"' in body


def test_the_right_password_signs_the_citizen_in_and_goes_on(client: Client) -> None:
    _citizen()
    response = client.post(
        SIGNIN, {"username": "0912.345.678", "password": STRONG, "next": "/cong-dan/ho-so/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/"
    assert client.get("/cong-dan/ho-so/").status_code == 200


def test_a_staff_account_is_not_signed_in_through_the_portal(
    client: Client, personas: dict[str, Any]
) -> None:
    staff = personas["officer_a1"]
    staff.set_password(STRONG)
    staff.save()
    response = client.post(SIGNIN, {"username": staff.username, "password": STRONG})
    assert response.status_code == 422 and "_auth_user_id" not in client.session


def test_a_locked_out_citizen_sees_the_portal_lockout_page(client: Client, settings: Any) -> None:
    _citizen()
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(SIGNIN, {"username": "0912345678", "password": "sai-mat-khau"}).status_code
        for _i in range(limit)
    ]
    assert statuses == [422] * (limit - 1) + [429]
    locked = client.post(
        SIGNIN, {"username": "+84 912 345 678", "password": STRONG}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert locked.templates[0].name == "portal/locked_out.html"
    assert "Nhập sai mật khẩu quá nhiều lần" in locked.content.decode()


# ---------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    "number",
    ["001199012345", "091305000001", "079087123456", "123456789", "1700000001", "1700000001-001", ""],
)
def test_cccd_cmnd_and_enterprise_codes_are_accepted(number: str) -> None:
    from egov.core.idnumbers import validate_id_number

    validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("1234567", "12 số"),  # the 7-digit "CCCD" of the issue
        ("12345678901", "12 số"),
        ("00119901234A", "12 số"),
        ("003199012345", "mã tỉnh"),  # 003 is not a province code
        ("097199012345", "mã tỉnh"),
        ("000199012345", "mã tỉnh"),
        ("001499012345", "tương lai"),  # born in 2199
        ("001399012345", "tương lai"),  # born in 2099
    ],
)
def test_malformed_id_numbers_are_refused_in_vietnamese(number: str, why: str) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from egov.core.idnumbers import validate_id_number

    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert why in exc.value.messages[0]


def test_profile_application_and_counter_forms_and_the_api_share_the_id_check(procedure: Any) -> None:
    from pydantic import ValidationError as PydanticError

    from egov.dossiers.api import ReceiveIn
    from egov.dossiers.forms import IntakeForm
    from egov.portal.forms import ApplicantStepForm, ProfileForm

    profile = ProfileForm(data={"applicant_kind": "citizen", "full_name": "An", "id_number": "1234567"})
    applicant = ApplicantStepForm(
        data={"kind": "citizen", "name": "An", "id_number": "1234567", "address": "x", "phone": "0912345678"}
    )
    assert "id_number" in profile.errors and "id_number" in applicant.errors
    assert "applicant_id_number" in IntakeForm(data={"applicant_id_number": "1234567"}).errors
    base = {"unit_id": 1, "procedure_code": "x", "applicant_name": "An", "papers": []}
    ReceiveIn(**base, applicant_id_number="001199012345")
    with pytest.raises(PydanticError):
        ReceiveIn(**base, applicant_id_number="1234567")


# ---------------------------------------------------------------- phone numbers


def test_phone_numbers_are_shown_in_the_national_form() -> None:
    from egov.portal.identity.identifiers import phone_display

    assert phone_display("+84912345678") == "0912 345 678"
    assert phone_display("0912.345.678") == "0912 345 678"
    assert phone_display("mai@example.vn") == "mai@example.vn" and phone_display("") == ""


def test_the_profile_and_a_new_application_are_prefilled_with_the_national_form(
    client: Client, procedure: Any
) -> None:
    from conftest import sign_in

    user = _citizen()
    user.phone = "+84912345678"
    user.save()
    sign_in(client, user)
    assert 'value="0912 345 678"' in client.get("/cong-dan/thong-tin-ca-nhan/").content.decode()
    response = client.get(f"/cong-dan/nop/{procedure.procedure.code}/", follow=True)
    assert 'value="0912 345 678"' in response.content.decode()
    assert "+84912345678" not in response.content.decode()


# ---------------------------------------------------------------- papers "only if any"


def test_a_paper_only_if_any_need_not_be_attached(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    from egov.catalog.models import RequiredPaper
    from egov.dossiers.models import Dossier
    from egov.portal.tests.conftest import pdf
    from egov.portal.tests.test_apply import APPLICANT, _start, _step

    optional = RequiredPaper.objects.create(
        version=procedure,
        order=3,
        name="Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
        originals=1,
        optional=True,
    )
    login_as("citizen")
    draft = _start(client)
    assert client.post(_step(draft, "applicant"), APPLICANT).status_code == 302
    page = client.get(_step(draft, "papers")).content.decode()
    assert "Chỉ đính kèm nếu Ông/Bà có giấy tờ này" in page
    required = [p for p in procedure.papers.all() if not p.optional]
    # Nothing attached: the required papers are named, the optional one is not.
    refused = client.post(_step(draft, "papers"), {})
    assert refused.status_code == 422
    assert f'href="#paper-{required[0].pk}"' in refused.content.decode()
    assert f'href="#paper-{optional.pk}"' not in refused.content.decode()
    files = {f"paper-{p.pk}": pdf(f"giay-{p.order}.pdf") for p in required}
    assert client.post(_step(draft, "papers"), files).status_code == 302
    delivery = {"unit": province.one_stop_a1.pk, "return_method": "online", "return_address": ""}
    assert client.post(_step(draft, "delivery"), delivery).status_code == 302
    review = client.get(_step(draft, "review")).content.decode()
    assert "không đính kèm (chỉ nộp nếu có)" in review
    assert "0912 345 678" in review  # typed 0912345678, shown in the national form
    response = client.post(_step(draft, "review"), {"declaration": "on"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert sorted(dossier.papers.values_list("name", flat=True)) == sorted(p.name for p in required)


# ---------------------------------------------------------------- the office picker


@pytest.fixture
def twin_communes(province: Any) -> Any:
    """A second "Xã A1", in Huyện B, as the demo province has two "Xã Bình An"."""
    from conftest import SMALL_PROVINCE
    from egov.orgs import services as org_services
    from egov.orgs.models import Unit, UnitKind

    header = SMALL_PROVINCE.splitlines()[0]
    org_services.units_import(content=f"{header}\n22,Xã A1,Xã,commune,20\n", by=None)
    area = Unit.objects.get(gso_code="22", valid_to__isnull=True, kind="commune")
    return Unit.objects.get(path__startswith=area.path, kind=UnitKind.ONE_STOP, level=area.level)


def test_offices_are_grouped_under_their_district_and_preselected_from_the_address(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any, twin_communes: Any
) -> None:
    from egov.portal.tests.test_apply import APPLICANT, _start, _step

    login_as("citizen")
    draft = _start(client)
    address = "Thôn 3, Xã A1, Huyện B"
    assert client.post(_step(draft, "applicant"), {**APPLICANT, "address": address}).status_code == 302
    html = client.get(_step(draft, "delivery")).content.decode()
    assert '<optgroup label="Huyện A">' in html and '<optgroup label="Huyện B">' in html
    group_b = html[html.index('<optgroup label="Huyện B">') :]
    assert f'value="{twin_communes.pk}" selected' in group_b.split("</optgroup>")[0]
    select = html[html.index("<select") : html.index("</select>")]
    assert select.count(" selected") == 1


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Thôn 1, Xã A1, Huyện A", "a1"),
        ("thôn 1, xã a1, huyện b", "twin"),
        ("Thôn 1, Xã A1", None),  # two communes of that name, no district: ask
        ("Thôn 1, Xã B1", "b1"),
        ("Thôn 1, Xã B10", None),  # not "Xã B1"
        ("", None),
    ],
)
def test_the_office_is_guessed_only_when_the_address_names_one(
    procedure: Any, province: Any, twin_communes: Any, address: str, expected: str | None
) -> None:
    from egov.portal import selectors

    units = list(selectors.receiving_units_for(procedure))
    found = selectors.unit_for_address(units, address)
    wanted = {"a1": province.one_stop_a1, "b1": province.one_stop_b1, "twin": twin_communes, None: None}
    assert found == wanted[expected]
