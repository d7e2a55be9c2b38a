"""Uploads are judged by their bytes and served back only as downloads (issue #12, item 13)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from conftest import sign_in
from egov.core.uploads import DOCX, XLSX, ascii_filename, check_upload, safe_filename
from egov.dossiers.services import dossier_attach_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _docx(**extra: bytes) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES.encode(),
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **extra,
        }
    )


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def test_a_pdf_html_polyglot_is_refused() -> None:
    polyglot = PDF.replace(
        b"1 0 obj", b"<html><body><script>alert(document.cookie)</script></body></html>\n1 0 obj"
    )
    assert check_upload(_upload("scan.pdf", PDF)).content_type == "application/pdf"
    with pytest.raises(ValidationError, match="web page"):
        check_upload(_upload("scan.pdf", polyglot))
    # Far from the start too: the whole file is searched for script-bearing tags.
    late = PDF + b"%" * 100_000 + b"<ScRiPt src=//evil.example/x.js></script>"
    with pytest.raises(ValidationError):
        check_upload(_upload("scan.pdf", late))


def test_a_pdf_signature_must_open_the_file() -> None:
    with pytest.raises(ValidationError):
        check_upload(_upload("scan.pdf", b"%PDX" + PDF))


def test_a_fake_docx_without_content_types_is_refused() -> None:
    fake = _zip({"word/document.xml": b"<html><script>alert(1)</script></html>", "word/x.xml": b"x"})
    with pytest.raises(ValidationError, match="Only PDF"):
        check_upload(_upload("don.docx", fake))


def test_a_docx_whose_main_part_is_missing_is_refused() -> None:
    hollow = _zip({"[Content_Types].xml": CONTENT_TYPES.encode(), "word/other.xml": b"x"})
    with pytest.raises(ValidationError):
        check_upload(_upload("don.docx", hollow))


def test_a_real_docx_and_xlsx_are_accepted() -> None:
    assert check_upload(_upload("Đơn đề nghị.docx", _docx())).content_type == DOCX
    workbook = Workbook()
    workbook.active["A1"] = "Bảng kê"
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = check_upload(_upload("bang-ke.xlsx", buffer.getvalue()))
    assert (checked.content_type, checked.extension) == (XLSX, "xlsx")


def test_the_name_must_not_contradict_the_content() -> None:
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        check_upload(_upload("bang-ke.xlsx", _docx()))
    with pytest.raises(ValidationError, match=r"\.docx"):
        check_upload(_upload("scan.docx", PDF))
    assert check_upload(_upload("scan", PDF)).extension == "pdf"


def test_a_zip_bomb_named_docx_is_refused(settings: Any) -> None:
    settings.EGOV_UPLOAD_UNPACKED_MAX_BYTES = 2 * 1024 * 1024
    bomb = _docx(**{"word/media/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024  # small on the wire, 8 MB unpacked
    with pytest.raises(ValidationError, match="unpacks"):
        check_upload(_upload("don.docx", bomb))


def test_a_package_with_too_many_parts_is_refused(settings: Any) -> None:
    settings.EGOV_UPLOAD_ZIP_MAX_ENTRIES = 10
    crowded = _docx(**{f"word/media/{i}.xml": b"x" for i in range(20)})
    with pytest.raises(ValidationError, match="too many"):
        check_upload(_upload("don.docx", crowded))


def test_download_names_are_cleaned() -> None:
    assert safe_filename('../../etc/"pass\r\nwd".html', extension="pdf") == "passwd.html.pdf"
    assert safe_filename("Giấy khai sinh.PDF", extension="pdf") == "Giấy khai sinh.pdf"
    assert safe_filename("ảnh.jpeg", extension="jpg") == "ảnh.jpg"
    assert safe_filename("..", extension="pdf") == "tep.pdf"
    assert ascii_filename("Đơn đề nghị cấp giấy.pdf") == "Don de nghi cap giay.pdf"


@pytest.mark.django_db
def test_a_stored_file_is_served_as_an_attachment_under_a_safe_name(
    client: Client, personas: dict[str, Any], receive: Any
) -> None:
    dossier = receive()
    record = dossier_attach_file(
        dossier=dossier,
        upload=_upload("scan.pdf", PDF),
        kind="scan",
        by=personas["officer_a1"],
        name='..\\Giấy "khai" sinh\x07.html',
    )
    sign_in(client, personas["officer_a1"])
    response = client.get(f"/dossiers/{dossier.pk}/files/{record.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Giay khai sinh.html.pdf"; '
        "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.html.pdf"
    )


def test_a_docx_declaring_its_main_part_by_default_extension_is_accepted() -> None:
    by_default = (
        "<Types><Default Extension='xml' ContentType='application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document.main+xml'/></Types>"
    )
    package = _zip({"[Content_Types].xml": by_default.encode(), "word/document.xml": b"<w:document/>"})
    assert check_upload(_upload("don.docx", package)).content_type == DOCX
