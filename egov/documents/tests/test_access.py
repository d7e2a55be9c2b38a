"""The access log, grants on secret documents, and watermarked downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import sign_in
from egov.accounts.models import Role
from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import AccessGrant, AccessKind, AccessLog, Entry, Register, RegisterKind
from egov.documents.permissions import documents_visible_to, entries_visible_to
from egov.documents.services import access
from egov.documents.tests.conftest import Office, incoming_meta
from egov.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def real_pdf(text: str = "Nội dung văn bản") -> SimpleUploadedFile:
    from weasyprint import HTML

    data = HTML(string=f"<p>{text}</p>").write_pdf()
    return SimpleUploadedFile("van-ban.pdf", data, content_type="application/pdf")


def secret_entry(office: Office) -> Entry:
    c = office.committee
    register = Register.objects.create(
        agency=c.unit, kind=RegisterKind.INCOMING, name="Sổ văn bản mật đến", code="MAT", is_secret=True
    )
    return services.entry_register(
        agency=c.unit,
        register=register,
        meta=incoming_meta(secrecy="secret", number="5", notation="BCA-A"),
        medium="paper",
        main_file=real_pdf(),
        by=c.clerk,
    )


def test_access_record_writes_a_row_for_staff_only(office: Office, registered: Any) -> None:
    entry = registered()
    log = access.access_record(document=entry.document, user=office.committee.clerk, kind=AccessKind.VIEW)
    assert log is not None and log.user == office.committee.clerk
    from django.contrib.auth.models import AnonymousUser

    assert access.access_record(document=entry.document, user=AnonymousUser(), kind="view") is None
    with pytest.raises(ValueError):
        access.access_record(document=entry.document, user=office.committee.clerk, kind="stare")
    assert AccessLog.objects.count() == 1


def test_grant_lets_a_colleague_read_then_revoke_takes_it_back(office: Office) -> None:
    c = office.committee
    entry = secret_entry(office)
    document = entry.document
    c.leader.email = "lanhdao@example.vn"
    office.admin.email = "quantri@example.vn"
    office.admin.save()
    specialist = c.specialist
    assert not entries_visible_to(specialist).filter(pk=entry.pk).exists()
    assert not documents_visible_to(c.clerk).filter(pk=document.pk).exists()
    grant = access.access_grant(document=document, person=specialist, by=c.leader)
    assert entries_visible_to(specialist).filter(pk=entry.pk).exists()
    assert documents_visible_to(specialist).filter(pk=document.pk).exists()
    alert = Notification.objects.get(kind="documents.access_changed")
    assert Delivery.objects.get(notification=alert).recipient == "quantri@example.vn"
    assert "BCA-A" in alert.subject and document.subject not in alert.body
    with pytest.raises(DocumentError):
        access.access_grant(document=document, person=specialist, by=c.leader)
    access.access_revoke(grant=grant, by=c.leader)
    assert not entries_visible_to(specialist).filter(pk=entry.pk).exists()
    changes = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_ACCESS_CHANGED).order_by("seq")
    assert [e.after["change"] for e in changes] == ["granted", "revoked"]
    assert Notification.objects.filter(kind="documents.access_changed").count() == 2
    with pytest.raises(DocumentError):
        access.access_revoke(grant=grant, by=c.leader)


def test_grants_are_for_the_leader_secret_documents_and_colleagues(office: Office, registered: Any) -> None:
    c = office.committee
    entry = secret_entry(office)
    with pytest.raises(ActionForbidden):
        access.access_grant(document=entry.document, person=c.specialist, by=c.clerk)
    with pytest.raises(ActionForbidden):
        access.access_grant(document=entry.document, person=c.specialist, by=office.department.leader)
    with pytest.raises(DocumentError) as caught:
        access.access_grant(document=entry.document, person=office.department.specialist, by=c.leader)
    assert caught.value.field == "person"
    plain = registered()
    with pytest.raises(WrongState):
        access.access_grant(document=plain.document, person=c.specialist, by=c.leader)
    assert not AccessGrant.objects.exists()


def test_grant_page_for_the_leader(client: Client, office: Office) -> None:
    c = office.committee
    entry = secret_entry(office)
    sign_in(client, c.leader)
    url = reverse("documents:access_grants", args=[entry.document_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"person": ""}).status_code == 422
    response = client.post(url, {"person": c.head.pk})
    assert response.status_code == 302
    grant = AccessGrant.objects.get(person=c.head)
    response = client.post(reverse("documents:access_revoke", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_by == c.leader


def test_watermarked_download_carries_the_reader_and_is_logged(client: Client, office: Office) -> None:
    c = office.committee
    entry = services.entry_register(
        agency=c.unit,
        register=c.incoming,
        meta=incoming_meta(),
        medium="paper",
        main_file=real_pdf(),
        by=c.clerk,
    )
    stored = entry.document.files.get()
    sign_in(client, c.clerk)
    url = reverse("documents:file_download_watermarked", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert c.clerk.get_full_name() in text and c.unit.name in text and "Nội dung văn bản" in text
    assert client.get(url + "?print=1").status_code == 200
    kinds = list(
        AccessLog.objects.filter(user=c.clerk, file=stored).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [AccessKind.DOWNLOAD, AccessKind.PRINT]
    # Someone who may not read the document learns nothing, and nothing is logged.
    sign_in(client, office.department.clerk)
    assert client.get(url).status_code == 404
    assert AccessLog.objects.count() == 2


def test_access_log_page_filters_and_exports(client: Client, office: Office, registered: Any) -> None:
    c = office.committee
    entry = registered()
    other = registered(number="77", notation="UBND-VP", issuer_name="UBND huyện A", subject="Về lễ hội")
    access.access_record(document=entry.document, user=c.clerk, kind=AccessKind.VIEW)
    access.access_record(document=other.document, user=c.leader, kind=AccessKind.DOWNLOAD)
    dept = registered(office.department, number="9", notation="SYT")
    access.access_record(document=dept.document, user=office.department.clerk, kind=AccessKind.VIEW)
    sign_in(client, office.admin)
    url = reverse("documents:access_log") + f"?agency={c.unit.pk}"
    body = client.get(url).content.decode()
    assert c.clerk.get_full_name() in body and c.leader.get_full_name() in body
    assert office.department.clerk.get_full_name() not in body
    body = client.get(url + "&person=lanhdao").content.decode()
    assert c.clerk.get_full_name() not in body and c.leader.get_full_name() in body
    body = client.get(url + "&document=lễ hội").content.decode()
    assert "UBND-VP" in body and "BNV-CCVC" not in body
    body = client.get(url + "&document=1234/BNV-CCVC").content.decode()
    assert "BNV-CCVC" in body and "UBND-VP" not in body
    assert client.get(url + "&start=99/99/2026").status_code == 422
    response = client.get(url + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời điểm" and len(rows) == 3
    sign_in(client, c.clerk)
    assert client.get(url).status_code == 403


def test_auditor_reads_the_access_log(client: Client, office: Office) -> None:
    from conftest import _person

    auditor = _person("kiemtoan", roles=[(office.committee.unit, Role.AUDITOR)])
    sign_in(client, auditor)
    assert client.get(reverse("documents:access_log")).status_code == 200
