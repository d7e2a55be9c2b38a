"""Paper out of the document system: watermarked copies of a document's PDF, and the registers
printed in the Decree 30 Annex IV layout (PDF on A4 landscape, and .xlsx) so a clerk can sign
and close them.

Rendering takes seconds: call these outside any transaction (on SQLite a transaction holds the
one write lock from its start, and every other writer would wait behind the rendering)."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from egov.documents.models import (
    Assignment,
    AssignmentRole,
    Document,
    DraftState,
    Entry,
    Recipient,
    Register,
    RegisterKind,
)
from egov.documents.selectors import register_documents, register_entries

# ---------------------------------------------------------------- watermark


class NotAPdf(ValueError):
    """The file is not a PDF that can be read (or it is encrypted)."""


def watermark_text(*, full_name: str, at: dt.datetime, agency: str) -> str:
    """``Nguyễn Văn A · 07/12/2026 09:30 · Ủy ban nhân dân tỉnh`` in Vietnam time."""
    local = timezone.localtime(at)
    return f"{full_name} · {local:%d/%m/%Y %H:%M} · {agency}"


def _overlay(width: float, height: float, text: str) -> Any:
    """One transparent page of the given size (points) with the text across it and in its footer."""
    from pypdf import PdfReader
    from weasyprint import HTML

    diagonal = math.hypot(width, height)
    geometry = {
        "width": f"{width:.1f}",
        "height": f"{height:.1f}",
        "diagonal": f"{diagonal:.1f}",
        "left": f"{(width - diagonal) / 2:.1f}",
        "top": f"{height / 2 - 12:.1f}",
        "angle": f"{math.degrees(math.atan2(height, width)):.2f}",
        # As large as fits along the diagonal (about 0.55 em a character), at most 28 pt.
        "font": f"{min(28.0, 0.8 * diagonal / max(len(text), 1) / 0.55):.1f}",
    }
    html = render_to_string("documents/registers/watermark.html", {"g": geometry, "text": text})
    return PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0]


def watermark_pdf(data: bytes, *, text: str) -> bytes:
    """Stamp ``text`` on every page of the PDF ``data``, light grey, diagonally and in the footer."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise NotAPdf("encrypted")
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise NotAPdf(str(exc)) from exc
    overlays: dict[tuple[float, float], Any] = {}
    for page in writer.pages:
        # A page shown rotated gets the text upright as the reader sees it.
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if size not in overlays:
            overlays[size] = _overlay(size[0], size[1], text)
        page.merge_translated_page(overlays[size], float(box.left), float(box.bottom), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- printed registers


@dataclass(frozen=True)
class PrintedRegister:
    """What a printed register shows: the register, the days it covers and its lines (in
    register order, oldest first)."""

    register: Register
    start: dt.date
    end: dt.date
    rows: list[dict[str, Any]]

    @property
    def incoming(self) -> bool:
        return self.register.kind == RegisterKind.INCOMING

    @property
    def first_number(self) -> str:
        return str(self.rows[0]["number"]) if self.rows else ""

    @property
    def last_number(self) -> str:
        return str(self.rows[-1]["number"]) if self.rows else ""


INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ký nhận",
    "Ghi chú",
]
OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ghi chú",
]


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d/%m/%Y}"


# The registers are legal records printed in Vietnamese whatever the screen's language: the
# names of Decree 30 Annex III, not the interface's labels.
TYPE_NAMES = {
    "NQ": "Nghị quyết",
    "QD": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QYD": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTR": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "DEA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTR": "Tờ trình",
    "HDG": "Hợp đồng",
    "CV": "Công văn",
    "CD": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
}
MEDIUM_NAMES = {
    "paper": "Bản giấy",
    "electronic": "Tệp điện tử",
    "internal": "Trong hệ thống",
    "exchange": "Qua trục liên thông",
}
STATE_NOTES = {"recalled": "Đã thu hồi", "replaced": "Đã thay thế"}


def _type_and_subject(document: Document) -> str:
    return f"{TYPE_NAMES.get(document.doc_type, document.doc_type)}: {document.subject}"


def _receiver(entry: Entry) -> str:
    """The lead handler (unit or person) of the first direction, else the leader it went to."""
    leads = [a for a in entry.assignments.all() if a.role == AssignmentRole.LEAD]
    if leads:
        lead = leads[0]
        return lead.person.get_full_name() if lead.person is not None else str(lead.unit)
    return entry.submitted_to.get_full_name() if entry.submitted_to is not None else ""


def _years(start: dt.date, end: dt.date) -> range:
    return range(start.year, end.year + 1)


def _entry_rows(register: Register, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone())
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    leads = Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("unit", "person").order_by("created_at", "pk"),
    )
    rows = []
    for year in _years(start, end):
        entries = (
            register_entries(register, year)
            .filter(arrived_at__gte=lo, arrived_at__lt=hi)
            .select_related("submitted_to")
            .prefetch_related(leads)
            .order_by("arrival_number")
        )
        for e in entries:
            d = e.document
            notes = [MEDIUM_NAMES.get(e.medium, e.medium)]
            if e.duplicate_of_id:
                notes.append("Có thể trùng")
            rows.append(
                {
                    "arrived": _date(e.arrived_at),
                    "number": e.arrival_number,
                    "issuer": d.issuer_name,
                    "notation": d.number_notation,
                    "date": _date(d.issued_on),
                    "subject": _type_and_subject(d),
                    "receiver": _receiver(e),
                    "sign": "",
                    "notes": "; ".join(notes),
                }
            )
    return rows


def _document_rows(register: Register, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = []
    recipients = Prefetch("recipients", queryset=Recipient.objects.order_by("pk"))
    for year in _years(start, end):
        documents = (
            register_documents(register, year)
            .filter(issued_on__gte=start, issued_on__lte=end)
            .select_related("drafting_unit", "drafted_by")
            .prefetch_related(recipients)
            .order_by("sequence")
        )
        for d in documents:
            signer = ", ".join(x for x in (d.signer_position, d.signer_name) if x)
            kept = d.drafting_unit.name if d.drafting_unit is not None else ""
            notes = STATE_NOTES.get(d.state, "") if d.state != DraftState.ISSUED else ""
            rows.append(
                {
                    "number": d.sequence or d.number,
                    "notation": d.number_notation,
                    "date": _date(d.issued_on),
                    "subject": _type_and_subject(d),
                    "signer": signer,
                    "recipients": "; ".join(r.name for r in d.recipients.all()),
                    "kept_by": kept,
                    "copies": d.copies or "",
                    "notes": notes,
                }
            )
    return rows


def printed_register(*, register: Register, start: dt.date, end: dt.date) -> PrintedRegister:
    rows = (
        _entry_rows(register, start, end)
        if register.kind == RegisterKind.INCOMING
        else _document_rows(register, start, end)
    )
    return PrintedRegister(register=register, start=start, end=end, rows=rows)


def _cells(printed: PrintedRegister, row: dict[str, Any]) -> list[Any]:
    if printed.incoming:
        keys = ["arrived", "number", "issuer", "notation", "date", "subject", "receiver", "sign", "notes"]
    else:
        keys = ["notation", "date", "subject", "signer", "recipients", "kept_by", "copies", "notes"]
    return [row[k] for k in keys]


def register_html(printed: PrintedRegister) -> str:
    # A register is a legal record in Vietnamese whatever language the clerk's screen uses.
    with translation.override("vi"):
        return render_to_string(
            "documents/registers/print.html",
            {
                "p": printed,
                "columns": INCOMING_COLUMNS if printed.incoming else OUTGOING_COLUMNS,
                "lines": [_cells(printed, r) for r in printed.rows],
                "agency": printed.register.agency,
                "parent": printed.register.agency.parent,
                "now": timezone.localtime(),
            },
        )


def register_pdf(printed: PrintedRegister) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=register_html(printed)).write_pdf())


def xlsx_append(sheet: Any, values: list[Any]) -> None:
    """Append a row; text a spreadsheet would run as a formula ("=…", "+…", "-…", "@…": a
    subject typed by anyone) is stored as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value[:1] in {"=", "+", "-", "@"}:
            cell.data_type = "s"


def register_xlsx(printed: PrintedRegister) -> bytes:
    """The same register as a spreadsheet: title rows, the numbered column heads, one row a line."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    columns = INCOMING_COLUMNS if printed.incoming else OUTGOING_COLUMNS
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "So van ban"
    title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if printed.incoming else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    ws.append([printed.register.agency.name])
    ws.append([title])
    ws.append([f"{printed.register.name} ({printed.register.code})"])
    ws.append([f"Từ ngày {_date(printed.start)} đến ngày {_date(printed.end)}"])
    ws.append([])
    ws.append(columns)
    ws.append([f"({i})" for i in range(1, len(columns) + 1)])
    for cell in ws[2]:
        cell.font = Font(bold=True, size=14)
    for cell in ws[6]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in printed.rows:
        xlsx_append(ws, _cells(printed, row))
    widths = [12, 8, 28, 18, 12, 50, 24, 12, 18] if printed.incoming else [18, 12, 50, 24, 30, 24, 10, 18]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A8"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
