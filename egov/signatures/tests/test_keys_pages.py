"""The keys and images pages: my signature image and my token's certificate; an agency's keys
(key file, refusals) and seal. Bad input gets a Vietnamese message and nothing is stored."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from django.utils.translation import override

from conftest import _person, sign_in
from egov.accounts.models import Role
from egov.audit.models import AuditEntry, AuditEvent
from egov.orgs.models import Unit
from egov.signatures.models import ImageKind, KeyBackend, SignatureImage, SigningKey
from egov.signatures.testing import TestPki
from egov.signatures.tests.test_backends import MODULE, PIN, csc_service, needs_softhsm, softhsm  # noqa: F401

pytestmark = pytest.mark.django_db


def png(
    colour: tuple[int, int, int], size: tuple[int, int] = (400, 150), *, transparent: bool = True
) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0 if transparent else 255))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 100), (120, 30), (220, 110), (380, 40)], fill=(*colour, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


BLUE, RED = (20, 40, 180), (200, 20, 30)


def new_unit(name: str, kind: str = "committee") -> Unit:
    unit = Unit.objects.create(name=name, kind=kind, level="province")
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@pytest.fixture
def agency() -> Unit:
    return new_unit("UBND tỉnh Thử Nghiệm")


@pytest.fixture
def admin(agency: Unit) -> Any:
    return _person("quantri", roles=[(agency, Role.UNIT_ADMIN)])


def client_for(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_my_signature_image_upload_and_preview(db: None) -> None:
    me = _person("chuky")
    client = client_for(me)
    assert client.get("/signatures/mine/").status_code == 200
    answer = client.post("/signatures/mine/image/", {"image": upload("chu-ky.png", png(BLUE))})
    assert answer.status_code == 302
    image = SignatureImage.objects.get(user=me, kind=ImageKind.SIGNATURE)
    assert (image.width_px, image.height_px) == (400, 150)
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNATURE_IMAGE_SET).count() == 1
    page = client.get("/signatures/mine/")
    assert f"/signatures/images/{image.pk}/".encode() in page.content
    preview = client.get(f"/signatures/images/{image.pk}/")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"].startswith("attachment")
    assert client_for(_person("nguoikhac")).get(f"/signatures/images/{image.pk}/").status_code == 403


def test_red_signature_is_kept_with_a_warning(db: None) -> None:
    client = client_for(_person("chukydo"))
    answer = client.post("/signatures/mine/image/", {"image": upload("a.png", png(RED))}, follow=True)
    assert answer.status_code == 200
    assert SignatureImage.objects.count() == 1
    assert any(m.level_tag == "warning" for m in answer.context["messages"])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.png", b"GIF89a not a png at all"),
        ("a.png", png(BLUE, transparent=False)),  # no transparent background
        ("a.png", png(BLUE, (2500, 400))),  # too many pixels
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 10)),  # over 1 MB
        ("a.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 100),  # a JPEG
    ],
)
def test_bad_signature_images_refused_nothing_stored(db: None, name: str, data: bytes) -> None:
    client = client_for(_person("chukysai"))
    answer = client.post("/signatures/mine/image/", {"image": upload(name, data)})
    assert answer.status_code == 422
    assert answer.context["image_form"].errors["image"]
    assert not SignatureImage.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.SIGNATURE_IMAGE_SET).exists()


def test_register_my_token_certificate(test_pki: TestPki) -> None:
    me = _person("nguyenvanan2")
    client = client_for(me)
    cert = upload("an.cer", test_pki.certificate("person"), "application/pkix-cert")
    assert (
        client.post("/signatures/mine/keys/", {"label": "USB token", "certificate": cert}).status_code == 302
    )
    key = SigningKey.objects.get(user=me)
    assert key.backend == KeyBackend.CLIENT and "Nguyễn Văn An" in key.subject
    page = client.get("/signatures/mine/").content.decode()
    with override("vi"):
        assert escape(str(key.get_backend_display())) in page and key.not_after is not None
    assert key.not_after.astimezone().strftime("%Y") in page
    expired = upload("x.cer", test_pki.certificate("expired"), "application/pkix-cert")
    answer = client.post("/signatures/mine/keys/", {"label": "", "certificate": expired})
    assert answer.status_code == 422
    junk = upload("x.cer", b"hello", "application/pkix-cert")
    assert client.post("/signatures/mine/keys/", {"label": "", "certificate": junk}).status_code == 422
    assert SigningKey.objects.count() == 1
    assert client.post(f"/signatures/mine/keys/{key.pk}/retire/").status_code == 302
    key.refresh_from_db()
    assert not key.is_active


def _add_p12(client: Client, agency: Unit, pki: TestPki, label: str, password: bytes, typed: str) -> Any:
    data = {
        "pkcs12-label": "Khóa " + label,
        "pkcs12-pkcs12": upload("k.p12", pki.pkcs12(label, password), "application/x-pkcs12"),
        "pkcs12-passphrase": typed,
    }
    return client.post(f"/signatures/agencies/{agency.pk}/keys/add/pkcs12/", data)


def test_agency_key_file_added_and_refusals(
    test_pki: TestPki, agency: Unit, admin: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = str(tmp_path)
    client = client_for(admin)
    assert client.get(f"/signatures/agencies/{agency.pk}/keys/").status_code == 200
    wrong_pass = _add_p12(client, agency, test_pki, "agency", b"pw", "sai")
    assert wrong_pass.status_code == 422
    assert wrong_pass.context["pkcs12_form"].errors
    assert _add_p12(client, agency, test_pki, "expired", b"pw", "pw").status_code == 422
    other = _add_p12(client, agency, test_pki, "agency2", b"pw", "pw")  # Sở Y tế's certificate
    assert other.status_code == 422
    assert "UBND tỉnh Thử Nghiệm" in str(other.context["pkcs12_form"].errors)
    assert not SigningKey.objects.exists()
    assert not list((tmp_path / "keys").glob("*")) if (tmp_path / "keys").exists() else True
    assert _add_p12(client, agency, test_pki, "agency", b"pw", "pw").status_code == 302
    key = SigningKey.objects.get(unit=agency)
    page = client.get(f"/signatures/agencies/{agency.pk}/keys/").content.decode()
    with override("vi"):
        assert "Khóa agency" in page and escape(str(KeyBackend.PKCS12.label)) in page
    assert client.post(f"/signatures/keys/{key.pk}/retire/").status_code == 302
    key.refresh_from_db()
    assert not key.is_active
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNING_KEY_CHANGED).count() == 1


def test_agency_pages_only_for_its_administrators(agency: Unit, admin: Any) -> None:
    clerk = _person("vanthu", roles=[(agency, Role.CLERK)])
    assert client_for(clerk).get(f"/signatures/agencies/{agency.pk}/keys/").status_code == 403
    other = new_unit("Sở Y tế", "department")
    assert client_for(admin).get(f"/signatures/agencies/{other.pk}/keys/").status_code == 403


def test_agency_seal_real_size(agency: Unit, admin: Any) -> None:
    client = client_for(admin)
    url = f"/signatures/agencies/{agency.pk}/seal/"
    too_big = client.post(url, {"seal-image": upload("s.png", png(RED, (600, 600))), "seal-width_mm": "50"})
    assert too_big.status_code == 422 and not SignatureImage.objects.exists()
    answer = client.post(url, {"seal-image": upload("s.png", png(RED, (600, 600))), "seal-width_mm": "38"})
    assert answer.status_code == 302
    seal = SignatureImage.objects.get(unit=agency, kind=ImageKind.SEAL)
    assert seal.width_mm == 38
    assert client.get(f"/signatures/images/{seal.pk}/").status_code == 200


@needs_softhsm
def test_agency_token_key_added_on_the_page(
    test_pki: TestPki,
    softhsm: str,  # noqa: F811  (the fixture imported above)
    agency: Unit,
    admin: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.DATA_DIR = str(tmp_path)
    client = client_for(admin)
    url = f"/signatures/agencies/{agency.pk}/keys/add/pkcs11/"
    data = {
        "pkcs11-label": "Token cơ quan",
        "pkcs11-module": MODULE,
        "pkcs11-token_label": softhsm,
        "pkcs11-key_label": "agency",
        "pkcs11-pin": "0000",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422 and not SigningKey.objects.exists()
    assert (
        client.post(url, {**data, "pkcs11-module": str(tmp_path / "evil.so"), "pkcs11-pin": PIN}).status_code
        == 422
    )
    assert client.post(url, {**data, "pkcs11-pin": PIN}).status_code == 302
    assert SigningKey.objects.get(unit=agency).backend == KeyBackend.PKCS11


def test_agency_remote_key_added_on_the_page(
    test_pki: TestPki,
    csc_service: str,  # noqa: F811  (the fixture imported above)
    agency: Unit,
    admin: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.DATA_DIR = str(tmp_path)
    client = client_for(admin)
    url = f"/signatures/agencies/{agency.pk}/keys/add/csc/"
    data = {"csc-label": "Ký số từ xa", "csc-service_url": csc_service, "csc-credential_id": "egov/agency2"}
    settings.EGOV_CSC_SERVICES = []
    assert client.post(url, data).status_code == 422  # no service allowed: the choice is invalid
    settings.EGOV_CSC_SERVICES = [csc_service]
    other = client.post(url, data)  # the Department of Health's credential
    assert other.status_code == 422 and "UBND tỉnh Thử Nghiệm" in str(other.context["csc_form"].errors)
    assert not SigningKey.objects.exists()
    assert client.post(url, {**data, "csc-credential_id": "egov/agency"}).status_code == 302
    key = SigningKey.objects.get(unit=agency)
    assert key.backend == KeyBackend.CSC and key.config["credential_id"] == "egov/agency"
