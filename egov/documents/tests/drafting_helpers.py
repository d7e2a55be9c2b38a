"""Shared steps of the drafting tests: a draft by the committee's specialist, taken through
review to approval."""

from __future__ import annotations

from typing import Any

from egov.documents import services
from egov.documents.models import Document
from egov.documents.tests.conftest import Agency, Office, pdf_upload


def draft(office: Office, agency: Agency | None = None, **overrides: Any) -> Document:
    agency = agency or office.committee
    values: dict[str, Any] = {
        "drafting_unit": agency.division,
        "doc_type": "CV",
        "subject": "V/v báo cáo tình hình chuyển đổi số quý IV",
        "recipients": [
            services.RecipientIn(unit=office.department.unit),
            services.RecipientIn(name="Bộ Nội vụ", organ_code="000.00.00.G12"),
        ],
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An",
        "by": agency.specialist,
    }
    values.update(overrides)
    return services.draft_create(**values)


def approved(office: Office, agency: Agency | None = None, **overrides: Any) -> Document:
    """A draft with a PDF version, approved by the head of division and then the leader."""
    agency = agency or office.committee
    document = draft(office, agency, **overrides)
    services.draft_version_add(document=document, upload=pdf_upload("du-thao.pdf"), by=agency.specialist)
    services.draft_submit_review(document=document, by=agency.specialist)
    services.review_approve(document=document, by=agency.head, comment="Đồng ý")
    services.review_approve(document=document, by=agency.leader)
    document.refresh_from_db()
    return document


def issued(office: Office, agency: Agency | None = None, **overrides: Any) -> Document:
    agency = agency or office.committee
    document = approved(office, agency, **overrides)
    return services.document_issue(document=document, register=agency.outgoing, by=agency.clerk)


def matrix_extras(office: Office) -> dict[str, Any]:
    """The committee's outgoing documents at each stage, for the permission matrix: a draft with
    a version, one waiting for the head's review, one approved, one issued (to nobody inside
    egov, so no other agency's queue changes)."""
    c = office.committee
    plain = draft(office, recipients=[])
    services.draft_version_add(document=plain, upload=pdf_upload("du-thao.pdf"), by=c.specialist)
    review = draft(office, recipients=[], subject="V/v xin ý kiến")
    services.draft_version_add(document=review, upload=pdf_upload("du-thao.pdf"), by=c.specialist)
    services.draft_submit_review(document=review, by=c.specialist)
    return {
        "draft": plain,
        "draft_file": plain.files.get(),
        "review": review,
        "approved": approved(office, recipients=[]),
        "issued": issued(office, recipients=[]),
    }
