"""Signing one-stop results: the competent person signs, the clerk releases with the agency's
seal; both signatures valid, the unsigned version kept, audited, idempotent, refused to the wrong
people with a clear message; the citizen downloads the released version only."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Province, _person, sign_in
from egov.accounts.models import AccountKind, Role
from egov.audit.models import AuditEntry, AuditEvent
from egov.catalog.models import ProcedureVersion
from egov.demo.signatures import SEAL_WIDTH_MM, SIGNATURE_WIDTH_MM, image_add, seal_png, signature_png
from egov.dossiers import services
from egov.dossiers.errors import ActionForbidden, DossierError, WrongState
from egov.dossiers.models import Dossier, FileKind
from egov.dossiers.services.signing import (
    AGENCY_FIELD,
    MM,
    PERSON_FIELD,
    current_results,
    dossier_result_seal,
    dossier_result_sign,
    released_results,
)
from egov.dossiers.tests.factories import dossier_in_state
from egov.dossiers.workflow import Action, available_actions
from egov.orgs.models import Unit, UnitKind
from egov.portal.selectors import result_files
from egov.signatures.models import ImageKind, SignatureKind, SigningRecord, Verdict
from egov.signatures.pdf import read_pdf
from egov.signatures.services import signing_key_add_pkcs12
from egov.signatures.testing import TestPki
from egov.signatures.tests.conftest import test_pki, trusted  # noqa: F401
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def result_pdf(pages: int = 2) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<p style='page-break-after: always'>Trang {i + 1}: Giấy khai sinh</p>" for i in range(pages - 1)
    )
    return bytes(HTML(string=f"{body}<p>Chủ tịch</p><p>Nguyễn Văn An</p>").write_pdf())


@pytest.fixture
def team(
    trusted: TestPki,  # noqa: F811 — the shared session PKI
    province: Province,
    procedure: ProcedureVersion,
    personas: dict[str, Any],
) -> dict[str, Any]:
    """A resolved online dossier of commune A1 with a two-page result; the chairman and the
    clerk with their keys and images."""
    committee = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)
    leader = _person("chutich.a1", roles=[(committee, Role.AGENCY_LEADER)])
    clerk = _person("vanthu.a1", roles=[(committee, Role.CLERK)])
    specialist = _person("chuyenvien.a1", roles=[(committee, Role.SPECIALIST)])
    citizen = personas["citizen"]
    dossier = dossier_in_state(
        "resolved",
        unit=province.one_stop_a1,
        version=procedure,
        officer=personas["officer_a1"],
        specialist=specialist,
        leader=leader,
        online=True,
        return_method="online",
        applicant_user=citizen,
        result_file=SimpleUploadedFile("giay-khai-sinh.pdf", result_pdf(), "application/pdf"),
    )
    signing_key_add_pkcs12(
        user=leader, label="Chủ tịch", pkcs12=trusted.pkcs12("person", b"pw"), passphrase=b"pw", by=None
    )
    signing_key_add_pkcs12(
        unit=committee, label="UBND xã A1", pkcs12=trusted.pkcs12("agency", b"pw"), passphrase=b"pw", by=None
    )
    image_add(
        kind=ImageKind.SIGNATURE,
        png=signature_png("Nguyễn Văn An"),
        width_mm=SIGNATURE_WIDTH_MM,
        by=None,
        user=leader,
    )
    image_add(
        kind=ImageKind.SEAL,
        png=seal_png("Ủy ban nhân dân xã A1"),
        width_mm=SEAL_WIDTH_MM,
        by=None,
        unit=committee,
    )
    return {"dossier": dossier, "leader": leader, "clerk": clerk, "specialist": specialist,
            "citizen": citizen, "committee": committee, "officer": personas["officer_a1"]}  # fmt: skip


def _bytes(f: Any) -> bytes:
    with f.file.open("rb") as fh:
        return bytes(fh.read())


def _rect(data: bytes, field: str) -> tuple[float, float, float, float]:
    reader = read_pdf(data)
    sig = next(s for s in reader.embedded_signatures if s.field_name == field)
    x1, y1, x2, y2 = (float(v) for v in sig.sig_field["/Rect"])
    return x1, y1, x2, y2


def test_person_then_agency_both_valid_unsigned_kept_audited_idempotent(team: dict[str, Any]) -> None:
    dossier, leader, clerk = team["dossier"], team["leader"], team["clerk"]
    original = dossier.files.get(kind=FileKind.RESULT)
    original_bytes = _bytes(original)
    assert Action.SIGN_RESULT in available_actions(leader, dossier)
    assert Action.SEAL_RESULT not in available_actions(clerk, dossier)  # the person signs first

    [person_signed] = dossier_result_sign(dossier=dossier, by=leader)
    assert Action.SEAL_RESULT in available_actions(clerk, dossier)
    assert released_results(dossier) == []  # signed by the person only: not for the applicant yet
    [released] = dossier_result_seal(dossier=dossier, by=clerk)

    assert _bytes(original) == original_bytes  # the unsigned version is kept, unchanged
    final = _bytes(released)
    assert final.startswith(_bytes(person_signed))  # incremental: the person's signature untouched
    report = validate_pdf(final)
    assert report.verdict == Verdict.VALID, report.summary
    assert [s.field_name for s in report.signatures] == [PERSON_FIELD, AGENCY_FIELD]
    assert [s.signer for s in report.signatures] == ["Nguyễn Văn An", "Ủy ban nhân dân tỉnh Thử Nghiệm"]
    assert all(s.timestamp_time for s in report.signatures)  # B-T
    records = SigningRecord.objects.order_by("pk")
    assert [r.kind for r in records] == [SignatureKind.PERSON, SignatureKind.AGENCY]
    assert records[1].result_sha256 == released.sha256 and records[1].source_sha256 == person_signed.sha256
    assert AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_SIGNED).count() == 2

    # Again: nothing changes, and neither button is offered any more.
    assert dossier_result_sign(dossier=dossier, by=leader) == []
    assert dossier_result_seal(dossier=dossier, by=clerk) == []
    assert dossier.files.filter(kind=FileKind.RESULT).count() == 3
    assert [v.file for v in current_results(dossier)] == [released]
    assert not {Action.SIGN_RESULT, Action.SEAL_RESULT} & set(available_actions(leader, dossier))
    assert not {Action.SIGN_RESULT, Action.SEAL_RESULT} & set(available_actions(clerk, dossier))
    # The citizen gets the released version only.
    assert result_files(Dossier.objects.get(pk=dossier.pk)) == [released]

    # Placement: the person's image lower right of the last page; the seal at its real size
    # over the left third of it.
    px1, _py1, px2, py2 = _rect(final, PERSON_FIELD)
    sx1, _sy1, sx2, _sy2 = _rect(final, AGENCY_FIELD)
    assert px1 > 595 / 2 and py2 < 842 / 3
    assert sx2 - sx1 == pytest.approx(float(SEAL_WIDTH_MM) * MM, abs=1)
    assert sx2 == pytest.approx(px1 + (px2 - px1) / 3, abs=1)
    assert (
        read_pdf(final).embedded_signatures[0].sig_field["/P"] == read_pdf(final).root["/Pages"]["/Kids"][-1]
    )

    # poppler agrees that both signatures are intact.
    pdfsig = shutil.which("pdfsig")
    if pdfsig:
        out = subprocess.run([pdfsig, released.file.path], capture_output=True, check=False)  # noqa: S603
        assert out.stdout.decode().count("Signature is Valid") == 2, out.stdout.decode()


def test_rendered_page_shows_the_blue_signature_and_the_red_seal(team: dict[str, Any], tmp_path: Any) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils not installed")
    from PIL import Image

    dossier = team["dossier"]
    dossier_result_sign(dossier=dossier, by=team["leader"])
    [released] = dossier_result_seal(dossier=dossier, by=team["clerk"])
    (tmp_path / "r.pdf").write_bytes(_bytes(released))
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "2",
            "-l",
            "2",
            str(tmp_path / "r.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    w, h = page.size
    lower_right = [page.getpixel((x, y)) for x in range(w // 2, w) for y in range(2 * h // 3, h)]
    upper_left = [page.getpixel((x, y)) for x in range(0, w // 2) for y in range(0, h // 3)]
    blue = [p for p in lower_right if p[2] > 120 and p[0] < 100]
    red = [p for p in lower_right if p[0] > 150 and p[1] < 90 and p[2] < 90]
    assert len(blue) > 20 and len(red) > 20
    assert not [p for p in upper_left if p[0] > 150 and p[1] < 90 and p[2] < 90]


def test_wrong_people_and_missing_key_are_refused_with_nothing_written(team: dict[str, Any]) -> None:
    dossier, leader, clerk = team["dossier"], team["leader"], team["clerk"]
    with pytest.raises(ActionForbidden):
        dossier_result_sign(dossier=dossier, by=team["specialist"])
    with pytest.raises(ActionForbidden):
        dossier_result_sign(dossier=dossier, by=clerk)
    with pytest.raises(WrongState):
        dossier_result_seal(dossier=dossier, by=clerk)  # nothing signed by the person yet
    with pytest.raises(ActionForbidden):
        dossier_result_seal(dossier=dossier, by=team["officer"])
    leader.signing_keys.update(is_active=False)
    with pytest.raises(DossierError, match=r"khóa ký số|signing key"):
        dossier_result_sign(dossier=dossier, by=leader)
    assert dossier.files.filter(kind=FileKind.RESULT).count() == 1
    assert not SigningRecord.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_SIGNED).exists()


def test_pages_api_and_portal(team: dict[str, Any]) -> None:
    dossier, leader, clerk, citizen = team["dossier"], team["leader"], team["clerk"], team["citizen"]
    page = Client()
    sign_in(page, leader)
    assert page.get(f"/dossiers/{dossier.pk}/sign_result/").status_code == 405  # never in a GET
    assert b"sign_result" in page.get(f"/dossiers/{dossier.pk}/").content
    response = page.post(f"/dossiers/{dossier.pk}/sign_result/")
    assert response.status_code == 302
    api = Client()
    sign_in(api, clerk)
    response = api.post(
        f"/api/v1/dossiers/{dossier.pk}/seal_result", data=json.dumps({}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    released = released_results(dossier)
    assert len(released) == 1 and validate_pdf(_bytes(released[0])).verdict == Verdict.VALID
    portal = Client()
    portal.force_login(citizen)
    detail = portal.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{released[0].pk}/" in detail
    assert "/signatures/check/" in detail
    unsigned = dossier.files.filter(kind=FileKind.RESULT).order_by("pk").first()
    assert unsigned is not None
    assert portal.get(f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{unsigned.pk}/").status_code == 404
    download = portal.get(f"/cong-dan/ho-so/{dossier.pk}/ket-qua/{released[0].pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _bytes(released[0])  # type: ignore[attr-defined]
    assert citizen.kind == AccountKind.CITIZEN


def test_a_refused_api_call_says_why(team: dict[str, Any]) -> None:
    api = Client()
    sign_in(api, team["clerk"])
    response = api.post(
        f"/api/v1/dossiers/{team['dossier'].pk}/seal_result", data="{}", content_type="application/json"
    )
    assert response.status_code == 422
    services.dossier_return  # noqa: B018 — the counter's hand-back stays open while signing
