"""Verdicts of :func:`validate_pdf` against the test PKI: revoked, expired since but
timestamped while valid, a later change that is not permitted, no revocation data yet, and
poppler's ``pdfsig`` agreeing with egov."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.utils import timezone

from egov.signatures.models import RevocationData, RevocationKind, Verdict
from egov.signatures.testing import TestPki
from egov.signatures.tests.helpers_valid import fetch_revocation, install_revocation, plain_pdf, signed_by
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def test_revoked_certificate_is_invalid_from_the_cached_crl_and_ocsp(trusted: TestPki) -> None:
    signed = signed_by(trusted, "revoked")
    counts = fetch_revocation(trusted)
    assert counts["fetched"] >= 3 and counts["failed"] == 0
    assert RevocationData.objects.filter(kind=RevocationKind.CRL).exclude(data=None).exists()
    assert RevocationData.objects.filter(kind=RevocationKind.OCSP).exclude(data=None).exists()
    result = validate_pdf(signed)
    assert result.verdict == Verdict.INVALID
    sig = result.signatures[0]
    assert sig.revoked and sig.signer == "Trần Thị Bình"
    assert "revoked" in " ".join(sig.reasons)


def test_without_revocation_data_the_verdict_waits(trusted: TestPki) -> None:
    signed = signed_by(trusted, "agency")
    RevocationData.objects.all().delete()
    result = validate_pdf(signed)
    assert result.verdict == Verdict.UNKNOWN
    assert "Revocation data not yet fetched" in result.summary
    install_revocation(trusted)
    assert validate_pdf(signed).verdict == Verdict.VALID


def test_expired_since_but_timestamped_while_valid_is_valid(trusted: TestPki) -> None:
    signed = signed_by(trusted, "short")  # valid for two more days
    install_revocation(trusted)
    later = timezone.now() + dt.timedelta(days=3)
    result = validate_pdf(signed, at=later)
    assert result.verdict == Verdict.VALID, result.summary
    assert result.signatures[0].judged_at_timestamp
    # Without a timestamp nothing shows it was signed while the certificate was valid.
    from egov.signatures.signing import Level

    bare = signed_by(trusted, "short", field="bare", level=Level.B_B)
    assert validate_pdf(bare, at=later).verdict != Verdict.VALID


def _with_page_content(signed: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    stream = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 50 50 200 200 re f"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_later_page_content_is_not_a_permitted_change(trusted: TestPki) -> None:
    signed = signed_by(trusted, "agency")
    install_revocation(trusted)
    edited = _with_page_content(signed)
    assert edited.startswith(signed)
    result = validate_pdf(edited)
    assert result.verdict == Verdict.INVALID
    assert result.signatures[0].intact  # the signed bytes are intact: the later change is the problem
    assert result.signatures[0].permitted_changes is False
    assert "not permitted" in result.summary


def test_a_second_signature_is_a_permitted_change(trusted: TestPki) -> None:
    once = signed_by(trusted, "person", field="person")
    twice = signed_by(trusted, "agency", once, field="agency")
    install_revocation(trusted)
    result = validate_pdf(twice)
    assert result.verdict == Verdict.VALID, result.summary
    assert [s.permitted_changes for s in result.signatures] == [True, True]
    assert [s.covers_whole_file for s in result.signatures] == [False, True]


def test_a_file_without_signatures_is_unsigned(trusted: TestPki) -> None:
    assert validate_pdf(plain_pdf()).verdict == Verdict.UNSIGNED


def _pdfsig_valid(data: bytes, tmp_path: object) -> bool:
    path = tmp_path / "f.pdf"  # type: ignore[operator]
    path.write_bytes(data)
    out = subprocess.run(  # noqa: S603 — poppler's pdfsig on our own temporary file
        [shutil.which("pdfsig") or "pdfsig", "-nocert", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout
    verdicts = [line.split(":", 1)[1].strip() for line in out.splitlines() if "Signature Validation:" in line]
    assert verdicts, out
    return all(v == "Signature is Valid." for v in verdicts)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_agrees_on_a_valid_and_a_tampered_file(trusted: TestPki, tmp_path: object) -> None:
    signed = signed_by(trusted, "agency")
    install_revocation(trusted)
    tampered = bytearray(signed)
    position = tampered.index(b"WeasyPrint")
    tampered[position] = ord("w")
    assert validate_pdf(signed).verdict == Verdict.VALID
    assert _pdfsig_valid(signed, tmp_path) is True
    assert validate_pdf(bytes(tampered)).verdict == Verdict.INVALID
    assert _pdfsig_valid(bytes(tampered), tmp_path) is False


def test_a_long_term_file_checks_with_its_embedded_validation_data(trusted: TestPki) -> None:
    from egov.signatures.signing import Level

    signed = signed_by(trusted, "agency", level=Level.B_LT)
    RevocationData.objects.all().delete()  # nothing cached: only the file's own DSS
    result = validate_pdf(signed)
    assert result.verdict == Verdict.VALID, result.summary
