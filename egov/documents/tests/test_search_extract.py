"""Text extraction for search: the PDF text layer, OCR of scans (Tesseract, Vietnamese), and a
worker that never crashes on what it cannot read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.documents import services
from egov.documents.models import DocumentFile, FileRole, TextState
from egov.documents.search import SearchQuery, search_documents
from egov.documents.search.extract import file_extract_text, files_extract_pending, ocr_available
from egov.documents.search.tasks import extract_text_task
from egov.documents.tests.conftest import Office, incoming_meta, pdf_upload

pytestmark = pytest.mark.django_db
FONTS = [
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
]


def _found(user, q: str) -> set[int]:
    return {d.pk for d in search_documents(user=user, query=SearchQuery(q=q)).documents}


def _text_pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='vi'><body><p>{text}</p></body></html>").write_pdf()


def test_pdf_text_layer_is_extracted_and_searchable(office: Office, registered) -> None:
    pdf = _text_pdf("Quyết định về việc bảo vệ rừng phòng hộ ven biển năm 2026")
    entry = services.entry_register(
        agency=office.committee.unit,
        register=office.committee.incoming,
        meta=incoming_meta(),
        medium="paper",
        main_file=pdf_upload("qd.pdf", pdf),
        by=office.committee.clerk,
    )
    f = DocumentFile.objects.get(document=entry.document)
    assert f.text_state == TextState.PENDING
    assert file_extract_text(file_id=f.pk) == TextState.DONE
    f.refresh_from_db()
    assert "rừng phòng hộ" in f.text
    assert _found(office.committee.clerk, "rung phong ho ven bien") == {entry.document_id}
    # A second worker on the same file does nothing.
    assert file_extract_text(file_id=f.pk) == ""


def test_without_tesseract_a_scan_is_marked_failed_and_the_worker_goes_on(
    office: Office, registered, monkeypatch, caplog
) -> None:
    entry = registered()  # the fixture's PDF has no text layer: a scan
    monkeypatch.setenv("PATH", "/nonexistent")
    assert files_extract_pending() == 1
    f = DocumentFile.objects.get(document=entry.document)
    assert f.text_state == TextState.FAILED
    assert "not installed" in caplog.text


def test_a_pdf_nothing_can_read_is_failed_not_raised(office: Office, registered) -> None:
    entry = registered()  # the fixture's PDF has no pages pypdf or poppler can render
    f = DocumentFile.objects.get(document=entry.document)
    assert file_extract_text(file_id=f.pk) in {TextState.FAILED, TextState.EMPTY}
    f.refresh_from_db()
    assert f.text == ""


@pytest.mark.slow
@pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-vie is not installed")
def test_ocr_of_a_scanned_image_finds_folded_words(office: Office, registered) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font_path = next(p for p in FONTS if p.exists())
    font = ImageFont.truetype(str(font_path), 44)
    image = Image.new("L", (1700, 420), color=255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(
        ["QUYẾT ĐỊNH", "Về việc giao đất đai cho hộ gia đình", "Ủy ban nhân dân tỉnh Kiên Giang"]
    ):
        draw.text((60, 40 + i * 120), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    entry = registered()
    f = services.document_file_store(
        document=entry.document,
        upload=SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png"),
        role=FileRole.ATTACHMENT,
        by=office.committee.clerk,
    )
    assert extract_text_task.call(file_id=f.pk) == TextState.DONE
    f.refresh_from_db()
    assert "giao" in f.text.lower()
    assert _found(office.committee.clerk, "giao dat dai ho gia dinh") == {entry.document_id}
