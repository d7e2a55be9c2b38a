"""The drafting pages: the draft form, the document page and its actions, the issue form."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from egov.documents.models import AccessKind, AccessLog, Document, DraftState, EntryState
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import approved, draft, issued

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_new_draft_form_keeps_the_input_on_error_then_saves(office: Office) -> None:
    c = office.committee
    client = _client(c.specialist)
    page = client.get(reverse("documents:draft_new"))
    assert page.status_code == 200 and c.division.name in page.content.decode()
    data = {
        "drafting_unit": c.division.pk,
        "doc_type": "CV",
        "subject": "",
        "urgency": "normal",
        "secrecy": "none",
        "internal": [office.department.unit.pk],
        "external": "Bộ Nội vụ; 000.00.00.G12",
        "signer_name": "Nguyễn Văn An",
    }
    refused = client.post(reverse("documents:draft_new"), data)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "error-summary" in body and "Bộ Nội vụ; 000.00.00.G12" in body and "Nguyễn Văn An" in body
    bad_external = client.post(reverse("documents:draft_new"), data | {"subject": "V/v", "external": "; x"})
    assert bad_external.status_code == 422
    saved = client.post(reverse("documents:draft_new"), data | {"subject": "V/v báo cáo quý IV"})
    document = Document.objects.get()
    assert saved.status_code == 302 and saved["Location"] == document.get_absolute_url()
    assert document.recipients.count() == 2 and document.drafted_by == c.specialist
    edit = client.post(
        reverse("documents:draft_edit", args=[document.pk]),
        data | {"subject": "V/v báo cáo quý IV năm 2026", "due_on": "2000-01-01"},
    )
    assert edit.status_code == 422 and "2000-01-01" in edit.content.decode()


def test_the_draft_page_versions_review_trail_and_actions(office: Office) -> None:
    c = office.committee
    document = draft(office)
    drafter = _client(c.specialist)
    url = reverse("documents:document_action", args=[document.pk, "add_version"])
    upload = drafter.post(
        url, {"add_version-file": pdf_upload("du-thao.pdf"), "add_version-comment": "Bản đầu"}
    )
    assert upload.status_code == 302
    page = drafter.get(document.get_absolute_url()).content.decode()
    assert "du-thao.pdf" in page and "Bản đầu" in page
    drafter.post(reverse("documents:document_action", args=[document.pk, "submit_review"]))
    document.refresh_from_db()
    assert document.state == DraftState.IN_REVIEW
    head = _client(c.head)
    assert document.subject in head.get(reverse("documents:reviews")).content.decode()
    back = head.post(
        reverse("documents:document_action", args=[document.pk, "send_back"]), {"send_back-comment": ""}
    )
    assert back.status_code == 422 and "error-summary" in back.content.decode()
    approve = head.post(
        reverse("documents:document_action", args=[document.pk, "approve"]), {"approve-comment": "Đồng ý"}
    )
    assert approve.status_code == 302
    assert "Đồng ý" in head.get(document.get_absolute_url()).content.decode()
    # The drafter may not approve; the specialist of another agency does not see the draft.
    assert (
        drafter.post(reverse("documents:document_action", args=[document.pk, "approve"])).status_code == 403
    )
    assert _client(office.department.specialist).get(document.get_absolute_url()).status_code == 404
    download = drafter.get(reverse("documents:document_file", args=[document.pk, document.files.get().pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    # Every view and download is in the access log (Annex VI).
    kinds = set(AccessLog.objects.filter(document=document, user=c.specialist).values_list("kind", flat=True))
    assert kinds == {AccessKind.VIEW, AccessKind.DOWNLOAD}
    assert AccessLog.objects.filter(document=document, user=c.head, kind=AccessKind.VIEW).exists()


def test_the_clerk_sees_the_number_it_will_get_then_issues_and_the_recipient_sees_it(office: Office) -> None:
    c = office.committee
    document = approved(office)
    clerk = _client(c.clerk)
    assert document.subject in clerk.get(reverse("documents:to_issue")).content.decode()
    form = clerk.get(reverse("documents:document_issue", args=[document.pk]))
    assert form.status_code == 200 and "01/UBND-VP" in form.content.decode()
    refused = clerk.post(
        reverse("documents:document_issue", args=[document.pk]),
        {"register": c.outgoing.pk, "issued_on": "2999-01-01", "signer_name": "Nguyễn Văn An"},
    )
    assert refused.status_code == 422
    done = clerk.post(
        reverse("documents:document_issue", args=[document.pk]),
        {
            "register": c.outgoing.pk,
            "issued_on": "",
            "signer_name": "Nguyễn Văn An",
            "signer_position": "CHỦ TỊCH",
        },
    )
    assert done.status_code == 422  # the date is required on the form
    done = clerk.post(
        reverse("documents:document_issue", args=[document.pk]),
        {
            "register": c.outgoing.pk,
            "issued_on": document.created_at.date().isoformat(),
            "signer_name": "Nguyễn Văn An",
            "signer_position": "CHỦ TỊCH",
        },
    )
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.number == "01"
    recipient_page = _client(office.department.clerk).get(document.get_absolute_url())
    assert recipient_page.status_code == 200 and "01/UBND-VP" in recipient_page.content.decode()


def test_recall_from_the_page_needs_a_reason(office: Office) -> None:
    c = office.committee
    document = issued(office)
    leader = _client(c.leader)
    url = reverse("documents:document_action", args=[document.pk, "recall"])
    refused = leader.post(url, {"recall-reason": ""})
    assert refused.status_code == 422
    assert leader.post(url, {"recall-reason": "Sai số liệu"}).status_code == 302
    entry = document.recipients.get(unit=office.department.unit).entry
    entry.refresh_from_db()
    assert entry.state == EntryState.FROZEN
    assert "Sai số liệu" in leader.get(document.get_absolute_url()).content.decode()
