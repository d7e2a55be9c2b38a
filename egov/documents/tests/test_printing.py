"""Watermarked copies and printed registers: what is on the paper."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.documents.models import Document, Recipient
from egov.documents.printing import (
    NotAPdf,
    printed_register,
    register_pdf,
    register_xlsx,
    watermark_pdf,
    watermark_text,
)
from egov.documents.tests.conftest import MINIMAL_PDF, Office

pytestmark = pytest.mark.django_db

SAVE = os.environ.get("EGOV_SAVE_PDF")  # a directory: keep the PDFs to look at them


def _keep(name: str, data: bytes) -> None:
    if SAVE:
        with open(os.path.join(SAVE, name), "wb") as fh:
            fh.write(data)


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_watermark_is_on_every_page() -> None:
    from weasyprint import HTML

    source = HTML(string="<p>Trang một</p><p style='page-break-before:always'>Trang hai</p>").write_pdf()
    text = watermark_text(
        full_name="Nguyễn Thị Hoa", at=dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC), agency="UBND tỉnh"
    )
    assert text == "Nguyễn Thị Hoa · 07/12/2026 09:30 · UBND tỉnh"
    stamped = watermark_pdf(source, text=text)
    _keep("watermarked.pdf", stamped)
    pages = PdfReader(io.BytesIO(stamped)).pages
    assert len(pages) == 2
    for page in pages:
        assert "Nguyễn Thị Hoa" in (page.extract_text() or "")
    assert "Trang hai" in (pages[1].extract_text() or "")


def test_watermark_refuses_what_is_not_a_pdf() -> None:
    with pytest.raises(NotAPdf):
        watermark_pdf(b"not a pdf at all", text="x")
    # A file without a cross-reference table (viewers repair it; we do not guess).
    with pytest.raises(NotAPdf):
        watermark_pdf(MINIMAL_PDF, text="x")


def _outgoing(office: Office, n: int, **extra) -> Document:
    c = office.committee
    values = {
        "doc_type": "QD",
        "number": f"{n:02d}",
        "sequence": n,
        "notation": "QĐ-UBND",
        "issued_on": timezone.localdate(),
        "issuer_name": c.unit.name,
        "issuer_unit": c.unit,
        "drafting_unit": c.division,
        "subject": f"Về việc phê duyệt kế hoạch số {n}",
        "signer_position": "Chủ tịch",
        "signer_name": "Trần Văn Bảy",
        "copies": 5,
        "state": "issued",
        "register": c.outgoing,
        "register_year": timezone.localdate().year,
        "medium": "internal",
    }
    values.update(extra)
    document = Document.objects.create(**values)
    Recipient.objects.create(document=document, name="Sở Y tế", unit=office.department.unit)
    return document


def test_incoming_register_prints_in_the_annex_iv_layout(office: Office, registered) -> None:
    first = registered()
    registered(number="77", notation="UBND-VP", issuer_name="UBND huyện A")
    registered(number="78", notation="X", issuer_name='=HYPERLINK("http://x")')
    today = timezone.localdate()
    printed = printed_register(
        register=office.committee.incoming, start=today - dt.timedelta(days=1), end=today
    )
    assert [r["number"] for r in printed.rows] == [1, 2, 3]
    pdf = register_pdf(printed)
    _keep("incoming.pdf", pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = _text(pdf)
    for expected in (
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "Số đến",
        "Ký nhận",
        "Bộ Nội vụ",
        "1234/BNV-CCVC",
        "UBND huyện A",
    ):
        assert expected in text
    assert f"{timezone.localtime(first.arrived_at):%d/%m/%Y}" in text
    book = load_workbook(io.BytesIO(register_xlsx(printed))).active
    rows = list(book.iter_rows(values_only=True))
    assert rows[1][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert rows[5][:2] == ("Ngày đến", "Số đến")
    assert rows[7][1] == 1 and rows[7][2] == "Bộ Nội vụ" and rows[8][3] == "77/UBND-VP"
    assert book.cell(row=10, column=3).data_type == "s"  # a formula-looking issuer stays text


def test_outgoing_register_prints_signer_recipients_and_copies(office: Office) -> None:
    _outgoing(office, 1)
    _outgoing(office, 2, issued_on=timezone.localdate() - dt.timedelta(days=40))
    today = timezone.localdate()
    printed = printed_register(
        register=office.committee.outgoing, start=today - dt.timedelta(days=7), end=today
    )
    assert [r["number"] for r in printed.rows] == [1]
    pdf = register_pdf(printed)
    _keep("outgoing.pdf", pdf)
    text = _text(pdf)
    for expected in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Người ký", "01/QĐ-UBND", "Chủ tịch, Trần", "Sở Y tế"):
        assert expected in text
    assert "kế hoạch số 2" not in text
    rows = list(load_workbook(io.BytesIO(register_xlsx(printed))).active.iter_rows(values_only=True))
    assert rows[7][:2] == ("01/QĐ-UBND", f"{today:%d/%m/%Y}") and rows[7][6] == 5
