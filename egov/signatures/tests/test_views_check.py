"""The public check (page and API: nothing stored, size and rate limits), the trust-roots
administration (system administrator), and the CLI: verify, roots, revocation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import sign_in
from egov.audit.models import AuditEntry, AuditEvent
from egov.cli import main as egov_main
from egov.signatures.models import RevocationData, TrustRoot, ValidationReport
from egov.signatures.testing import TestPki
from egov.signatures.tests.helpers_valid import plain_pdf, signed_by

pytestmark = pytest.mark.django_db


def _tampered(signed: bytes) -> bytes:
    data = bytearray(signed)
    data[data.index(b"WeasyPrint")] = ord("w")
    return bytes(data)


def test_public_check_page_reports_and_stores_nothing(trusted: TestPki, settings: Any) -> None:
    signed = signed_by(trusted, "agency")
    media = Path(settings.MEDIA_ROOT)
    before = sorted(media.rglob("*")) if media.exists() else []
    client = Client()
    assert client.get("/signatures/check/").status_code == 200
    response = client.post(
        "/signatures/check/", {"file": SimpleUploadedFile("qd.pdf", signed, "application/pdf")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "text-bg-success" in page and "Ủy ban nhân dân tỉnh Thử Nghiệm" in page
    response = client.post(
        "/signatures/check/", {"file": SimpleUploadedFile("qd.pdf", _tampered(signed), "application/pdf")}
    )
    assert response.status_code == 200 and "text-bg-danger" in response.content.decode()
    response = client.post("/signatures/check/", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert response.status_code == 422 and "alert-danger" in response.content.decode()
    assert ValidationReport.objects.count() == 0
    assert (sorted(media.rglob("*")) if media.exists() else []) == before


def test_public_check_limits_size_and_rate(trusted: TestPki, settings: Any, monkeypatch: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr("egov.signatures.views_check.MAX_PDF_BYTES", 1000)
    client = Client()
    big = SimpleUploadedFile("big.pdf", plain_pdf("x" * 50), "application/pdf")
    assert client.post("/signatures/check/", {"file": big}).status_code == 413
    settings.EGOV_SIGNATURE_CHECK_RATE = (2, 600)
    cache.clear()
    assert client.post("/signatures/check/", {}).status_code == 422
    assert client.post("/signatures/check/", {}).status_code == 422
    response = client.post("/signatures/check/", {})
    assert response.status_code == 429
    cache.clear()


def test_public_check_api_returns_the_same_report(trusted: TestPki) -> None:
    signed = signed_by(trusted, "agency")
    client = Client()
    response = client.post("/api/v1/signatures/check", {"file": SimpleUploadedFile("qd.pdf", signed)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "valid" and body["signatures"][0]["signer"] == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert body["signatures"][0]["timestamp_time"]
    response = client.post(
        "/api/v1/signatures/check", {"file": SimpleUploadedFile("qd.pdf", _tampered(signed))}
    )
    assert response.json()["verdict"] == "invalid"
    response = client.post("/api/v1/signatures/check", {"file": SimpleUploadedFile("x.pdf", b"hello")})
    assert response.status_code == 422 and response.json()["error"]["fields"]["file"]
    assert ValidationReport.objects.count() == 0


def _self_signed_pem(name: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def test_system_admin_adds_and_retires_a_root(
    trusted: TestPki, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    sign_in(client, personas["system_admin"])
    page = client.get("/signatures/roots/")
    assert page.status_code == 200 and "Test root" in page.content.decode()
    pem = _self_signed_pem("Root CA chuyên dùng Chính phủ (thử)")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            "/signatures/roots/",
            {
                "certificate": SimpleUploadedFile("root.pem", pem),
                "name": "Ban Cơ yếu (thử)",
                "kind": "official",
            },
        )
    assert response.status_code == 302
    root = TrustRoot.objects.get(name="Ban Cơ yếu (thử)")
    assert root.is_active and root.kind == "official"
    assert len(queued) == 1  # the re-check
    bad = client.post(
        "/signatures/roots/", {"certificate": SimpleUploadedFile("x.cer", b"junk"), "kind": "other"}
    )
    assert bad.status_code == 422 and TrustRoot.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(f"/signatures/roots/{root.pk}/retire/").status_code == 302
    root.refresh_from_db()
    assert not root.is_active and len(queued) == 1
    assert AuditEntry.objects.filter(event=AuditEvent.TRUST_ROOT_CHANGED).count() >= 3
    other = Client()
    sign_in(other, personas["unit_admin_a"])
    assert other.get("/signatures/roots/").status_code == 403


def test_cli_verify_prints_the_report(trusted: TestPki, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "qd.pdf"
    path.write_bytes(signed_by(trusted, "agency"))
    assert egov_main(["sign", "verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Ủy ban nhân dân tỉnh Thử Nghiệm" in out
    assert egov_main(["sign", "verify", str(path), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["verdict"] == "valid" and "chain" not in body["signatures"][0]
    path.write_bytes(_tampered(path.read_bytes()))
    assert egov_main(["sign", "verify", str(path)]) == 1
    assert "!" in capsys.readouterr().out  # the reason is printed


def test_cli_roots_and_revocation(trusted: TestPki, tmp_path: Path, capsys: Any) -> None:
    cert = tmp_path / "root.pem"
    cert.write_bytes(_self_signed_pem("Public CA (thử)"))
    assert egov_main(["sign", "roots", "add", str(cert), "--kind", "public", "--name", "CA công cộng"]) == 0
    assert TrustRoot.objects.filter(name="CA công cộng", kind="public", is_active=True).exists()
    assert egov_main(["sign", "roots", "list"]) == 0
    assert "CA công cộng" in capsys.readouterr().out
    (tmp_path / "junk.cer").write_bytes(b"junk")
    assert egov_main(["sign", "roots", "add", str(tmp_path / "junk.cer")]) == 1

    # The revocation job: the certificates of a stored check tell it where to fetch.
    RevocationData.objects.all().delete()
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from egov.signatures.checks import check_request, check_run

    signed = signed_by(trusted, "person")
    name = default_storage.save("tests/rev.pdf", ContentFile(signed))
    report = check_request(sha256=hashlib.sha256(signed).hexdigest(), storage_name=name)
    assert check_run(report_id=report.pk) == "unknown"  # no revocation data yet
    assert egov_main(["sign", "revocation"]) == 0
    assert (
        RevocationData.objects.exclude(data=None).filter(kind="crl").count() == 2
    )  # root's and intermediate's
    assert RevocationData.objects.exclude(data=None).filter(kind="ocsp").exists()
    assert check_run(report_id=report.pk) == "valid"
    # An unreachable responder is recorded, not raised.
    from egov.signatures.revocation import Source, fetch_sources

    counts = fetch_sources([Source("crl", "http://127.0.0.1:9/none.crl", "http://127.0.0.1:9/none.crl")])
    assert counts["failed"] == 1
    assert RevocationData.objects.get(key="http://127.0.0.1:9/none.crl").error
