"""Stored checks: a PDF stored on a document or a dossier is checked by the worker, the result
shows on the page and in the API; a change of trust roots re-checks stale reports."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from conftest import sign_in
from egov.documents import services
from egov.documents.tests import conftest as documents_conftest
from egov.documents.tests.conftest import pdf_upload
from egov.documents.tests.drafting_helpers import approved
from egov.signatures.checks import check_request, recheck
from egov.signatures.models import TrustRoot, ValidationReport, Verdict
from egov.signatures.testing import TestPki
from egov.signatures.tests.helpers_valid import plain_pdf, signed_by

pytestmark = pytest.mark.django_db

office = documents_conftest.office  # the documents' fixture: a committee with its clerk

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@override_settings(TASKS=IMMEDIATE)
def test_a_signed_pdf_issued_on_a_document_is_checked_and_shown(
    trusted: TestPki, office: Any, django_capture_on_commit_callbacks: Any
) -> None:
    signed = signed_by(trusted, "agency")
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_issue(
            document=approved(office, recipients=[]),
            register=office.committee.outgoing,
            by=office.committee.clerk,
            main_file=pdf_upload("qd.pdf", signed),
        )
    report = ValidationReport.objects.get(sha256=hashlib.sha256(signed).hexdigest())
    assert report.verdict == Verdict.VALID, report.summary
    assert report.signatures[0]["signer"] == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert report.checked_at is not None and report.trust_hash

    client = Client()
    sign_in(client, office.committee.clerk)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "text-bg-success" in page and "Ủy ban nhân dân tỉnh Thử Nghiệm" in page
    body = client.get(f"/api/v1/documents/drafts/{document.pk}").json()
    checks = [f["signature_check"] for f in body["files"] if f["sha256"] == report.sha256]
    assert checks and checks[0]["verdict"] == "valid"
    assert checks[0]["signatures"][0]["signer"] == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert "chain" not in checks[0]["signatures"][0]


@override_settings(TASKS=IMMEDIATE)
def test_a_pdf_attached_to_a_dossier_is_checked_and_shown_to_staff(
    trusted: TestPki, province: Any, procedure: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from egov.dossiers.services import dossier_attach_file
    from egov.dossiers.tests.factories import dossier_in_state

    officer = personas["officer_a1"]
    dossier = dossier_in_state("step2", unit=province.one_stop_a1, version=procedure, officer=officer)
    unsigned = plain_pdf("Tờ khai")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_attach_file(
            dossier=dossier,
            upload=SimpleUploadedFile("to-khai.pdf", unsigned, "application/pdf"),
            kind="paper",
            by=officer,
        )
        dossier_attach_file(
            dossier=dossier,
            upload=SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
            kind="paper",
            by=officer,
        )
    report = ValidationReport.objects.get(sha256=hashlib.sha256(unsigned).hexdigest())
    assert report.verdict == Verdict.UNSIGNED
    assert ValidationReport.objects.count() == 1  # the PNG is not checked
    client = Client()
    sign_in(client, officer)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert page.count("signature-badge") == 1 and "text-bg-secondary" in page


def test_a_trust_root_change_rechecks_stale_reports(
    trusted: TestPki, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from egov.signatures.checks import check_run

    signed = signed_by(trusted, "agency")
    name = default_storage.save("tests/signed.pdf", ContentFile(signed))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        report = check_request(sha256=hashlib.sha256(signed).hexdigest(), storage_name=name)
    assert report.verdict == Verdict.PENDING and len(queued) == 1
    check_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.verdict == Verdict.VALID
    # Asking again for the same content under the same roots queues nothing.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        check_request(sha256=report.sha256, storage_name=name)
    assert queued == []

    TrustRoot.objects.update(is_active=False)
    result = recheck(batch=1)
    assert result["rechecked"] == 1 and result["files_per_second"] > 0
    report.refresh_from_db()
    assert report.verdict == Verdict.UNKNOWN
    assert recheck()["rechecked"] == 0  # nothing stale any more


def test_reports_for_a_page_take_one_query(trusted: TestPki, django_assert_num_queries: Any) -> None:
    from egov.signatures.selectors import reports_for

    for n in range(3):
        ValidationReport.objects.create(sha256=f"{n:064d}", storage_name=f"x{n}.pdf")
    with django_assert_num_queries(1):
        found = reports_for([f"{n:064d}" for n in range(5)])
    assert len(found) == 3


def test_the_scheduler_fetches_revocation_data_for_stored_checks(trusted: TestPki) -> None:
    import base64

    from asn1crypto import x509
    from django.core.cache import cache

    from egov.commands.processes import run_periodic_jobs
    from egov.signatures.models import RevocationData

    RevocationData.objects.all().delete()
    person = x509.Certificate.load(trusted.certificate("person"))
    interm = x509.Certificate.load(trusted.certificate("interm"))
    ValidationReport.objects.create(
        sha256="f" * 64,
        verdict=Verdict.UNKNOWN,
        signatures=[{"chain": [base64.b64encode(c.dump()).decode() for c in (person, interm)]}],
    )
    cache.delete("egov:signatures:revocation-pass")
    result = run_periodic_jobs()
    assert result["revocation_fetched"] == 3  # the two CRLs and the person's OCSP response
    assert result["revocation_rechecks_queued"] == 1
    assert run_periodic_jobs().get("revocation_fetched") is None  # at most one pass per 15 minutes
    cache.delete("egov:signatures:revocation-pass")
