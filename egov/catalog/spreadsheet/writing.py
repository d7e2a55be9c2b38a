"""Writing procedures to a workbook (headings for officers, keys in a hidden sheet) or a .zip of CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.utils import translation

from egov.catalog.data import ProcedureData
from egov.catalog.spreadsheet.columns import COLUMNS_SHEET, HEADINGS, SHEETS


def rows_for(procedures: list[ProcedureData], fields: dict[str, str]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    out["fields"] = [[code, name] for code, name in sorted(fields.items())]
    for p in procedures:
        out["procedures"].append(_procedure_row(p))
        out["channels"] += [
            [
                p.code,
                c.channel,
                c.time_amount,
                c.time_unit,
                c.fee_kind,
                c.fee_amount,
                c.fee_collection,
                c.fee_note,
            ]
            for c in p.channels
        ]
        out["papers"] += [
            [
                *(p.code, x.order, x.name, x.originals, x.certified_copies, x.photocopies, x.template),
                "yes" if x.optional else "no",
            ]
            for x in p.papers
        ]
        out["steps"] += [
            [
                p.code,
                s.level,
                s.order,
                s.name,
                s.role,
                s.unit_kind,
                s.budget_amount,
                s.budget_unit,
                s.handover_to,
            ]
            for s in p.process
        ]
    return out


def _procedure_row(p: ProcedureData) -> list[Any]:
    """The procedures sheet's row, in the order of ``SHEETS["procedures"]``."""
    return [
        p.code,
        p.published_code,
        p.name,
        p.field_code,
        p.field_name,
        ";".join(p.levels),
        p.implementing_agency,
        ";".join(p.applicant_types),
        p.online_level,
        p.legacy_level,
        p.cutoff.strftime("%H:%M") if p.cutoff else "",
        p.supplement_mode,
        p.steps,
        p.conditions,
        p.results,
        p.legal_basis,
        p.decision_number,
        p.decision_date.strftime("%d/%m/%Y") if p.decision_date else "",
        "yes" if p.is_example_code else "no",
    ]


def _as_text_cell(sheet: Any, value: Any) -> Any:
    """Text that looks like a formula is stored as text: nothing in the catalogue is ever
    evaluated by a civil servant's spreadsheet program, and the round trip stays exact."""
    if isinstance(value, str) and value.startswith("="):
        # openpyxl is imported when a workbook is written, not when the app loads (start-up time).
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(procedures: list[ProcedureData], fields: dict[str, str]) -> bytes:
    from openpyxl import Workbook  # as above: only when a workbook is written

    workbook = Workbook(write_only=True)
    # The headings are for the province's officers, whatever language the exporting screen uses.
    with translation.override("vi"):
        for name, rows in rows_for(procedures, fields).items():
            sheet = workbook.create_sheet(name)
            sheet.freeze_panes = "A2"
            sheet.append([str(HEADINGS[name][key]) for key in SHEETS[name]])
            for row in rows:
                sheet.append([_as_text_cell(sheet, v) for v in row])
        keys = workbook.create_sheet(COLUMNS_SHEET)
        keys.sheet_state = "hidden"
        keys.append(["sheet", "key", "heading"])
        for name, columns in SHEETS.items():
            for key in columns:
                keys.append([name, key, str(HEADINGS[name][key])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_zip(procedures: list[ProcedureData], fields: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in rows_for(procedures, fields).items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(SHEETS[name])
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8"))
    return buffer.getvalue()
