"""Applying online: steps, drafts, uploads checked by content, review, one dossier per draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from egov.dossiers.models import Dossier, DossierState, FileKind
from egov.notifications.models import Notification
from egov.portal.models import DraftFile, PortalDraft
from egov.portal.services import drafts_purge_expired
from egov.portal.tests.conftest import PDF, disguised, pdf

pytestmark = pytest.mark.django_db
APPLY = "/cong-dan/nop/1.001193/"


def _start(client: Client) -> PortalDraft:
    response = client.get(APPLY)
    assert response.status_code == 302
    draft = PortalDraft.objects.latest("pk")
    assert response["Location"] == f"/cong-dan/nhap/{draft.pk}/applicant/"
    return draft


def _step(draft: PortalDraft, step: str) -> str:
    return f"/cong-dan/nhap/{draft.pk}/{step}/"


APPLICANT = {
    "kind": "citizen",
    "name": "Trần Thị Mai",
    "id_number": "001199012345",
    "address": "Thôn 1, Xã A1",
    "phone": "0912345678",
    "email": "mai@example.vn",
    "summary": "Đăng ký khai sinh cho con",
}


def _fill(client: Client, draft: PortalDraft, unit: Any, return_method: str = "online") -> None:
    assert client.post(_step(draft, "applicant"), APPLICANT).status_code == 302
    papers = list(draft.version.papers.all())
    files = {f"paper-{p.pk}": pdf(f"giay-{p.order}.pdf") for p in papers}
    assert client.post(_step(draft, "papers"), files).status_code == 302
    response = client.post(
        _step(draft, "delivery"), {"unit": unit.pk, "return_method": return_method, "return_address": ""}
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_citizen_applies_online_and_gets_a_registered_dossier(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    page = client.get(_step(draft, "applicant")).content.decode()
    assert 'value="Trần Thị Mai"' in page and 'value="001199012345"' in page  # prefilled from the profile
    _fill(client, draft, province.one_stop_a1)
    review = client.get(_step(draft, "review"))
    assert review.status_code == 200
    html = review.content.decode()
    assert "giay-1.pdf" in html and "Bộ phận Một cửa" in html
    response = client.post(_step(draft, "review"), {"declaration": "on"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cong-dan/ho-so/{dossier.pk}/"
    assert dossier.state == DossierState.REGISTERED and dossier.channel == "online"
    assert dossier.applicant_user == citizen and dossier.return_method == "online"
    assert dossier.receiving_unit == province.one_stop_a1 and dossier.intake_token == draft.token
    assert dossier.summary == "Đăng ký khai sinh cho con"
    assert dossier.papers.count() == 2
    scans = dossier.files.filter(kind=FileKind.SCAN)
    assert scans.count() == 2 and all(len(f.sha256) == 64 for f in scans)
    assert scans.filter(name__startswith="Giấy chứng sinh").exists()
    assert Notification.objects.filter(kind="dossier.registered", related_id=str(dossier.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and dossier.lookup_secret in page


def test_submitting_twice_makes_one_dossier(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    _fill(client, draft, province.one_stop_a1)
    first = client.post(_step(draft, "review"), {"declaration": "on"})
    second = client.post(_step(draft, "review"), {"declaration": "on"})
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/cong-dan/ho-so/{Dossier.objects.get().pk}/"
    # Starting again from the procedure page opens a new draft, not the submitted one.
    assert _start(client).pk != draft.pk


def test_the_declaration_is_required_and_missing_steps_are_pointed_out(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    response = client.post(_step(draft, "review"), {"declaration": "on"})
    assert response.status_code == 422
    html = response.content.decode()
    assert _step(draft, "papers") in html and _step(draft, "delivery") in html
    _fill(client, draft, province.one_stop_a1)
    response = client.post(_step(draft, "review"), {})
    assert response.status_code == 422 and 'href="#id_declaration"' in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_validation_error_keeps_what_was_typed_and_the_draft_keeps_it_too(
    client: Client, login_as: Any, citizen: Any, procedure: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    data = {**APPLICANT, "name": "Nguyễn Văn Khải", "id_number": "??", "phone": "", "email": ""}
    response = client.post(_step(draft, "applicant"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Nguyễn Văn Khải"' in html and 'value="??"' in html
    assert 'aria-invalid="true"' in html and 'href="#id_id_number"' in html
    draft.refresh_from_db()
    assert draft.data["applicant"]["name"] == "Nguyễn Văn Khải"
    # Another device opens the draft and finds the same input.
    assert 'value="Nguyễn Văn Khải"' in client.get(_step(draft, "applicant")).content.decode()


def test_post_delivery_needs_an_address(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    response = client.post(
        _step(draft, "delivery"),
        {"unit": province.one_stop_a1.pk, "return_method": "post", "return_address": ""},
    )
    assert response.status_code == 422 and 'href="#id_return_address"' in response.content.decode()


def test_only_one_stop_units_at_the_procedures_level_are_offered(
    client: Client, login_as: Any, citizen: Any, procedure: Any, province: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    html = client.get(_step(draft, "delivery")).content.decode()
    assert f'value="{province.one_stop_a1.pk}"' in html and f'value="{province.one_stop_b1.pk}"' in html
    district_one_stop = province.district_a.children.get(kind="committee").children.get(kind="one_stop")
    assert f'value="{district_one_stop.pk}"' not in html
    response = client.post(
        _step(draft, "delivery"), {"unit": district_one_stop.pk, "return_method": "online"}
    )
    assert response.status_code == 422


def test_missing_papers_are_named(client: Client, login_as: Any, citizen: Any, procedure: Any) -> None:
    login_as("citizen")
    draft = _start(client)
    first = draft.version.papers.order_by("order").first()
    response = client.post(_step(draft, "papers"), {f"paper-{first.pk}": pdf()})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Giấy chứng sinh" in html and 'aria-invalid="true"' in html
    assert DraftFile.objects.count() == 1  # the good file is kept


def test_disguised_and_oversized_files_are_refused_and_the_rest_is_kept(
    client: Client, login_as: Any, citizen: Any, procedure: Any, settings: Any
) -> None:
    settings.EGOV_UPLOAD_MAX_BYTES = 2048
    login_as("citizen")
    draft = _start(client)
    one, two = draft.version.papers.order_by("order")
    big = SimpleUploadedFile("big.pdf", PDF + b"%" * 4096, "application/pdf")
    response = client.post(
        _step(draft, "papers"), {f"paper-{one.pk}": [pdf("good.pdf"), big], f"paper-{two.pk}": disguised()}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "big.pdf" in html and "giay-chung-sinh.pdf" in html
    assert list(DraftFile.objects.values_list("name", flat=True)) == ["good.pdf"]
    assert DraftFile.objects.get().sha256 and DraftFile.objects.get().content_type == "application/pdf"


def test_a_file_can_be_removed(client: Client, login_as: Any, citizen: Any, procedure: Any) -> None:
    login_as("citizen")
    draft = _start(client)
    paper = draft.version.papers.first()
    client.post(_step(draft, "papers"), {f"paper-{paper.pk}": pdf()})
    record = DraftFile.objects.get()
    client.post(_step(draft, "papers"), {"remove": record.pk})
    assert DraftFile.objects.count() == 0


def test_autosave_keeps_typing_without_submitting(
    client: Client, login_as: Any, citizen: Any, procedure: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    response = client.post(
        f"/cong-dan/nhap/{draft.pk}/applicant/luu/", {**APPLICANT, "address": "Số 5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["applicant"]["address"] == "Số 5"


def test_an_expired_draft_cannot_be_used_and_is_purged(
    client: Client, login_as: Any, citizen: Any, procedure: Any
) -> None:
    login_as("citizen")
    draft = _start(client)
    client.post(_step(draft, "papers"), {f"paper-{draft.version.papers.first().pk}": pdf()})
    PortalDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    response = client.get(_step(draft, "applicant"))
    assert response.status_code == 410
    response = client.post(_step(draft, "review"), {"declaration": "on"})
    assert response.status_code == 410 and Dossier.objects.count() == 0
    assert _start(client).pk != draft.pk  # a fresh draft
    assert drafts_purge_expired() == 1
    assert not PortalDraft.objects.filter(pk=draft.pk).exists() and DraftFile.objects.count() == 0


def test_drafts_belong_to_their_citizen(
    client: Client, login_as: Any, citizen: Any, other_citizen: Any, procedure: Any
) -> None:
    from conftest import sign_in

    login_as("citizen")
    draft = _start(client)
    sign_in(client, other_citizen)
    for step in ("applicant", "papers", "delivery", "review"):
        assert client.get(_step(draft, step)).status_code == 404
    assert client.post(_step(draft, "review"), {"declaration": "on"}).status_code == 404
    assert client.post(f"/cong-dan/nhap/{draft.pk}/xoa/").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 200), ("officer_a1", 403), ("citizen", 302)])
def test_who_may_start_an_application(
    client: Client, login_as: Any, procedure: Any, persona: str, status: int
) -> None:
    login_as(persona)
    response = client.get(APPLY)
    assert response.status_code == status
    if persona == "anonymous":
        assert "/cong-dan/dang-nhap/?next=" in response.content.decode()


def test_procedures_not_offered_online_have_no_application(
    client: Client, login_as: Any, procedure: Any
) -> None:
    from egov.catalog.models import ProcedureVersion

    ProcedureVersion.objects.filter(pk=procedure.pk).update(online_level="none")
    login_as("citizen")
    assert client.get(APPLY).status_code == 404


def test_the_procedure_page_links_to_the_application(client: Client, procedure: Any) -> None:
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert f'href="{APPLY}"' in html


def test_the_purge_command_reports_what_it_deleted(capsys: Any) -> None:
    from django.core.management import call_command

    call_command("portal_purge_drafts")
    assert "purged 0 expired drafts" in capsys.readouterr().out


def test_saved_details_prefill_the_next_application(client: Client, login_as: Any, procedure: Any) -> None:
    from egov.audit.models import AuditEntry

    login_as("citizen")
    response = client.post(
        "/cong-dan/thong-tin-ca-nhan/",
        {
            "applicant_kind": "household_business",
            "full_name": "Hộ kinh doanh Mai",
            "id_number": "??",
            "address": "",
        },
    )
    assert response.status_code == 422 and 'value="Hộ kinh doanh Mai"' in response.content.decode()
    response = client.post(
        "/cong-dan/thong-tin-ca-nhan/",
        {"applicant_kind": "household_business", "full_name": "Hộ kinh doanh Mai", "phone": "0905111222"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event="portal.profile_saved").exists()
    html = client.get(_step(_start(client), "applicant")).content.decode()
    assert 'value="Hộ kinh doanh Mai"' in html and 'value="0905 111 222"' in html
    assert '<option value="household_business" selected>' in html
