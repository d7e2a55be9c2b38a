"""The Annex VI export of a closed work file: a ZIP with the PDF (cover sheet and index of
documents), the XML of the metadata and, when asked, the documents' files."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.utils import translation
from lxml import etree
from pypdf import PdfReader

from egov.documents import services
from egov.documents.errors import ActionForbidden, WrongState
from egov.documents.models import AccessKind, AccessLog, Document, DocumentType, WorkFile
from egov.documents.services.workfile_export import XML_NAMESPACE
from egov.documents.tests.conftest import Office

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
NS = {"w": XML_NAMESPACE}


@pytest.fixture
def closed_file(office: Office, registered: Any) -> WorkFile:
    c = office.committee
    work_file = services.work_file_open(
        unit=c.unit,
        notation="12.TH",
        title="Hồ sơ về việc triển khai chuyển đổi số năm 2026 của tỉnh",
        retention="permanent",
        description="Gồm công văn của Bộ và báo cáo của Sở",
        by=c.clerk,
    )
    first = registered(page_count=3).document
    second = registered(
        number="45",
        notation="SYT-NV",
        issuer_name="Sở Y tế",
        subject="Báo cáo kết quả ứng dụng CNTT",
        page_count=7,
    ).document
    for document in (first, second):
        services.work_file_add_document(work_file=work_file, document=document, by=c.clerk)
    return services.work_file_close(work_file=work_file, by=c.clerk)


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_export_holds_the_pdf_and_the_xml(office: Office, closed_file: WorkFile) -> None:
    export = services.work_file_export(work_file=closed_file, by=office.committee.leader)
    files = _unzip(export.content)
    base = closed_file.code
    assert export.name == f"{base}.zip"
    assert set(files) == {f"{base}.pdf", f"{base}.xml"}

    root = etree.fromstring(files[f"{base}.xml"])
    assert root.tag == f"{{{XML_NAMESPACE}}}WorkFile"
    assert root.findtext("w:FileCode", namespaces=NS) == closed_file.code
    assert root.findtext("w:Title", namespaces=NS) == closed_file.title
    assert root.findtext("w:Retention", namespaces=NS) == "permanent"
    assert root.findtext("w:FileNotation", namespaces=NS) == "12.TH"
    assert root.findtext("w:DocumentCount", namespaces=NS) == "2"
    assert root.findtext("w:PageCount", namespaces=NS) == "10"
    documents = root.findall("w:Documents/w:Document", namespaces=NS)
    assert [d.findtext("w:Ordinal", namespaces=NS) for d in documents] == ["1", "2"]
    assert documents[1].findtext("w:Notation", namespaces=NS) == "SYT-NV"
    with translation.override("vi"):
        assert documents[1].findtext("w:TypeName", namespaces=NS) == str(DocumentType.CONG_VAN.label)
    assert documents[1].findtext("w:Subject", namespaces=NS) == "Báo cáo kết quả ứng dụng CNTT"

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files[f"{base}.pdf"])).pages)
    for expected in (closed_file.code, "HỒ SƠ", "Vĩnh viễn", "MỤC LỤC VĂN BẢN", "45/SYT-NV", "Sở Y tế"):
        assert expected in text, expected
    assert "Báo cáo kết quả ứng dụng CNTT" in text
    assert "Tổng số trang" in text and "10" in text
    logged = AccessLog.objects.filter(user=office.committee.leader, kind=AccessKind.EXPORT)
    assert logged.count() == 2


def test_export_may_include_the_documents_files(office: Office, closed_file: WorkFile) -> None:
    export = services.work_file_export(work_file=closed_file, by=office.committee.clerk, include_files=True)
    files = _unzip(export.content)
    stored = sorted(name for name in files if name.startswith("files/"))
    assert len(stored) == 2 and stored[0].startswith("files/001-") and stored[0].endswith(".pdf")
    assert files[stored[0]].startswith(b"%PDF")
    root = etree.fromstring(files[f"{closed_file.code}.xml"])
    paths = root.xpath("//w:File/@path", namespaces=NS)
    assert sorted(paths) == stored


def test_a_secret_document_the_exporter_cannot_read_is_withheld(
    office: Office, closed_file: WorkFile
) -> None:
    first = closed_file.items.order_by("order").first()
    assert first is not None
    Document.objects.filter(pk=first.document_id).update(secrecy="secret")
    export = services.work_file_export(work_file=closed_file, by=office.committee.clerk, include_files=True)
    files = _unzip(export.content)
    root = etree.fromstring(files[f"{closed_file.code}.xml"])
    withheld = root.find("w:Documents/w:Document", namespaces=NS)
    assert withheld is not None
    assert withheld.findtext("w:Withheld", namespaces=NS) == "true"
    assert not withheld.findtext("w:Subject", namespaces=NS)
    assert not [n for n in files if n.startswith("files/001-")]


def test_only_closed_files_are_exported_and_only_to_their_readers(
    office: Office, closed_file: WorkFile
) -> None:
    with pytest.raises(ActionForbidden):
        services.work_file_export(work_file=closed_file, by=office.department.clerk)
    open_file = services.work_file_open(
        unit=office.committee.unit, notation="13", title="Đang mở", retention="5", by=office.committee.clerk
    )
    with pytest.raises(WrongState):
        services.work_file_export(work_file=open_file, by=office.committee.clerk)
