"""II.06a as .xlsx (totals written as values) and as PDF with the official header."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.dossiers.pdf import html_to_pdf
from egov.reports.ii06a import COLUMNS, Report

HEADINGS = {
    "received_total": "Tổng số",
    "received_online": "Trực tuyến",
    "received_direct": "Trực tiếp, bưu chính",
    "carried_over": "Kỳ trước chuyển qua",
    "resolved_total": "Tổng số",
    "resolved_early": "Trước hạn",
    "resolved_on_time": "Đúng hạn",
    "resolved_late": "Quá hạn",
    "in_progress_total": "Tổng số",
    "in_progress_within": "Trong hạn",
    "in_progress_overdue": "Quá hạn",
    "withdrawn_or_stopped": "Rút, dừng xử lý",
}
FOOTER = (
    "Quy ước: hồ sơ tính cho cơ quan giải quyết; không tính hồ sơ bị từ chối tiếp nhận (ghi riêng) và hồ sơ "
    "trực tuyến chưa được tiếp nhận. (3) = (4) + (5) + (6) = (7) + (11) + hồ sơ rút/dừng xử lý trong kỳ. "
    "Đúng/quá hạn so với hạn giải quyết theo quy định (gia hạn không làm thay đổi). Hồ sơ đang chờ bổ sung, "
    "thực hiện nghĩa vụ tài chính hoặc lấy ý kiến được tính trong hạn."
)


def _receiver(report: Report) -> str:
    parent = report.unit.parent
    return parent.name if parent is not None else "Văn phòng Chính phủ"


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "II.06a"
    bold = Font(bold=True)
    sheet.append(["Biểu số II.06a/VPCP/KSTT"])
    sheet.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    sheet.append(
        [f"Kỳ báo cáo: từ ngày {report.period.start:%d/%m/%Y} đến ngày {report.period.end:%d/%m/%Y}"]
    )
    sheet.append(
        [f"Đơn vị báo cáo: {report.unit.name}", "", "", "", "", f"Đơn vị nhận báo cáo: {_receiver(report)}"]
    )
    sheet.append(["Đơn vị tính: hồ sơ"])
    sheet.append(
        [
            "STT",
            "Lĩnh vực, công việc giải quyết" if report.group_by == "field" else "Cấp giải quyết",
            "Số hồ sơ nhận giải quyết",
            "",
            "",
            "",
            "Số hồ sơ đã giải quyết",
            "",
            "",
            "",
            "Số hồ sơ đang giải quyết",
            "",
            "",
            "",
        ]
    )
    sheet.append(["(1)", "(2)", *[f"({n})" if n != "W" else "" for _k, n in COLUMNS]])
    sheet.append(["", "", *[HEADINGS[k] for k, _n in COLUMNS]])
    for cell in sheet[6] + sheet[8]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for index, row in enumerate(report.rows, start=1):
        sheet.append([index, row.label, *[row.values[k] for k, _n in COLUMNS]])
    # Totals are written as numbers, not formulas: spreadsheet readers do not compute formulas.
    sheet.append(["", "Tổng số", *[report.totals[k] for k, _n in COLUMNS]])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.append([f"Hồ sơ bị từ chối tiếp nhận trong kỳ (ghi riêng): {report.refused_at_intake}"])
    sheet.append([FOOTER])
    sheet.column_dimensions["B"].width = 42
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(report: Report) -> bytes:

    with translation.override("vi"):
        html = render_to_string(
            "reports/ii06a_pdf.html",
            {
                "r": report,
                "columns": [(k, n, HEADINGS[k]) for k, n in COLUMNS],
                "footer": FOOTER,
                "receiver": _receiver(report),
                "now": timezone.localtime(),
                "title": _("Form II.06a"),
            },
        )
    return html_to_pdf(html)
