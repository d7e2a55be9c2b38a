# long: to be split (issue #23)
"""Catalogue import/export: an .xlsx workbook or a .zip of CSV files, one sheet per group.

Sheets: fields, procedures (one row per procedure), channels, papers, steps (rows keyed by the
procedure code). Export writes exactly what import reads, so a round trip changes nothing.

In a workbook the first row holds Vietnamese column headings for the officers; the stable column
keys live in the hidden sheet "columns" (sheet, key, heading). Import reads a heading through that
sheet, through the built-in headings, or as a key, so older files with English keys still work.
CSV archives keep the keys as their header row: they are for machines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData, validate

SHEETS: dict[str, list[str]] = {
    "fields": ["code", "name"],
    "procedures": [
        "code",
        "published_code",
        "name",
        "field_code",
        "field_name",
        "levels",
        "implementing_agency",
        "applicant_types",
        "online_level",
        "legacy_level",
        "cutoff",
        "supplement_mode",
        "steps",
        "conditions",
        "results",
        "legal_basis",
        "decision_number",
        "decision_date",
        "is_example_code",
    ],
    "channels": [
        "code",
        "channel",
        "time_amount",
        "time_unit",
        "fee_kind",
        "fee_amount",
        "fee_collection",
        "fee_note",
    ],
    "papers": [
        "code",
        "order",
        "name",
        "originals",
        "certified_copies",
        "photocopies",
        "template",
        "optional",
    ],
    "steps": [
        "code",
        "level",
        "order",
        "name",
        "role",
        "unit_kind",
        "budget_amount",
        "budget_unit",
        "handover_to",
    ],
}
REQUIRED_SHEETS = ("procedures", "channels")
# Columns added later: a file written before them still imports (the value is then empty).
LATER_COLUMNS: dict[str, set[str]] = {"papers": {"optional"}}
_YES = {"yes", "true", "1", "có", "x"}
COLUMNS_SHEET = "columns"


def _h(text: str) -> Any:
    return pgettext_lazy("catalogue column", text)


_PROCEDURE_CODE = _h("Procedure code")
HEADINGS: dict[str, dict[str, Any]] = {
    "fields": {"code": _h("Field code"), "name": _h("Field name")},
    "procedures": {
        "code": _PROCEDURE_CODE,
        "published_code": _h("Published code"),
        "name": _h("Procedure name"),
        "field_code": _h("Field code"),
        "field_name": _h("Field name"),
        "levels": _h("Handling levels"),
        "implementing_agency": _h("Implementing agency"),
        "applicant_types": _h("Who may apply"),
        "online_level": _h("Online level"),
        "legacy_level": _h("Service level (2021)"),
        "cutoff": _h("Afternoon cut-off (hh:mm)"),
        "supplement_mode": _h("When papers are supplemented"),
        "steps": _h("Steps"),
        "conditions": _h("Conditions"),
        "results": _h("Results"),
        "legal_basis": _h("Legal basis"),
        "decision_number": _h("Publishing decision number"),
        "decision_date": _h("Decision date (dd/mm/yyyy)"),
        "is_example_code": _h("Illustrative code"),
    },
    "channels": {
        "code": _PROCEDURE_CODE,
        "channel": _h("Channel"),
        "time_amount": _h("Time limit"),
        "time_unit": _h("Time unit"),
        "fee_kind": _h("Fee kind"),
        "fee_amount": _h("Amount (VND)"),
        "fee_collection": _h("Fee collected"),
        "fee_note": _h("Fee note"),
    },
    "papers": {
        "code": _PROCEDURE_CODE,
        "order": _h("Order"),
        "name": _h("Paper"),
        "originals": _h("Originals"),
        "certified_copies": _h("Certified copies"),
        "photocopies": _h("Photocopies"),
        "template": _h("Form template"),
        "optional": _h("Only if any"),
    },
    "steps": {
        "code": _PROCEDURE_CODE,
        "level": _h("Handling level"),
        "order": _h("Order"),
        "name": _h("Step"),
        "role": _h("Responsible role"),
        "unit_kind": _h("Responsible unit"),
        "budget_amount": _h("Time budget"),
        "budget_unit": _h("Budget unit"),
        "handover_to": _h("Hand over to agency"),
    },
}


def _norm(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def _builtin_headings() -> dict[tuple[str, str], str]:
    """(sheet, heading as typed) → key, for the headings in Vietnamese and in English."""
    out = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for sheet, columns in HEADINGS.items():
                out.update({(sheet, _norm(str(label))): key for key, label in columns.items()})
    return out


def _keys_for_headings(sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    """Replace each sheet's headings by the column keys, in place."""
    mapping = _builtin_headings()
    _header, rows = sheets.pop(COLUMNS_SHEET, ([], []))
    for row in rows:  # the file's own record wins: a heading reworded since still imports
        cells = [_cell(c) for c in row] + ["", "", ""]
        if cells[0] in SHEETS and cells[1] in SHEETS[cells[0]]:
            mapping[(cells[0], _norm(cells[2]))] = cells[1]
    for sheet, (header, data) in list(sheets.items()):
        if sheet in SHEETS:
            keys = [h if h in SHEETS[sheet] else mapping.get((sheet, _norm(h)), h) for h in header]
            sheets[sheet] = (keys, data)


@dataclass(frozen=True)
class SheetError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class SpreadsheetRejected(Exception):
    def __init__(self, errors: list[SheetError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass
class ParsedCatalogue:
    fields: dict[str, str]
    procedures: list[ProcedureData]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------- reading


Table = list[tuple[int, dict[str, str]]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(sheet: str, header: list[str], rows: Iterable[list[Any]], errors: list[SheetError]) -> Table:
    expected = SHEETS[sheet]
    missing = [c for c in expected if c not in header and c not in LATER_COLUMNS.get(sheet, set())]
    if missing:
        errors.append(SheetError(sheet, 1, ", ".join(missing), _("required column is missing")))
        return []
    out: Table = []
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        record = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        out.append((number, record))
    return out


def read_xlsx(content: bytes) -> dict[str, tuple[list[str], list[list[Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise SpreadsheetRejected(
            [SheetError("-", 1, "", _("the file is not an Excel .xlsx workbook"))]
        ) from exc
    sheets = {}
    for ws in workbook.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header = [_cell(h) for h in rows[0]] if rows else []
        sheets[ws.title.strip().lower()] = (header, rows[1:])
    _keys_for_headings(sheets)
    return sheets


def read_zip(content: bytes) -> dict[str, tuple[list[str], list[list[Any]]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetRejected([SheetError("-", 1, "", _("the file is not a .zip of CSV files"))]) from exc
    sheets = {}
    for info in archive.infolist():
        name = info.filename.rsplit("/", 1)[-1].lower()
        if not name.endswith(".csv") or info.file_size > 50 * 1024 * 1024:
            continue
        try:
            text = archive.read(info).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetRejected(
                [SheetError(name, 1, "", _("the file is not UTF-8 encoded text"))]
            ) from None
        rows = list(csv.reader(io.StringIO(text)))
        sheets[name[:-4]] = ([h.strip() for h in rows[0]] if rows else [], [list(r) for r in rows[1:]])
    return sheets


def _int(
    value: str, sheet: str, row: int, column: str, errors: list[SheetError], *, default: int | None = None
) -> int:
    if value == "" and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        errors.append(SheetError(sheet, row, column, _("must be a whole number, got “%s”") % value))
        return 0


def _date(value: str, sheet: str, row: int, column: str, errors: list[SheetError]) -> dt.date | None:
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    errors.append(SheetError(sheet, row, column, _("must be a date dd/mm/yyyy, got “%s”") % value))
    return None


def _time(value: str, sheet: str, row: int, column: str, errors: list[SheetError]) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value if len(value) > 4 else value.zfill(5))
    except ValueError:
        errors.append(SheetError(sheet, row, column, _("must be a time hh:mm, got “%s”") % value))
        return None


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


# long: to be split (issue #23)
def parse(sheets: dict[str, tuple[list[str], list[list[Any]]]], *, known_fields: set[str]) -> ParsedCatalogue:
    """Turn sheets into procedures, checking everything; raise with every problem found."""
    errors: list[SheetError] = []
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            errors.append(SheetError(name, 1, "", _("the sheet is missing")))
    if errors:
        raise SpreadsheetRejected(errors)
    tables = {name: _table(name, *sheets[name], errors) if name in sheets else [] for name in SHEETS}
    fields = {rec["code"]: rec["name"] for _row, rec in tables["fields"] if rec["code"]}
    procedures: dict[str, ProcedureData] = {}
    rows: dict[str, dict[str, Any]] = {}
    for row, rec in tables["procedures"]:
        code = rec["code"]
        if code in procedures:
            errors.append(SheetError("procedures", row, "code", _("code %s appears twice") % code))
            continue
        if rec["field_code"] and rec["field_code"] not in known_fields and rec["field_code"] not in fields:
            errors.append(
                SheetError("procedures", row, "field_code", _("unknown field “%s”") % rec["field_code"])
            )
        procedures[code] = ProcedureData(
            code=code,
            name=rec["name"],
            field_code=rec["field_code"],
            field_name=fields.get(rec["field_code"], rec["field_name"]),
            published_code=rec["published_code"],
            levels=_list(rec["levels"]),
            implementing_agency=rec["implementing_agency"],
            applicant_types=_list(rec["applicant_types"]),
            online_level=rec["online_level"] or "none",
            legacy_level=_int(rec["legacy_level"], "procedures", row, "legacy_level", errors, default=2),
            cutoff=_time(rec["cutoff"], "procedures", row, "cutoff", errors),
            supplement_mode=rec["supplement_mode"] or "pause",
            steps=rec["steps"],
            conditions=rec["conditions"],
            results=rec["results"],
            legal_basis=rec["legal_basis"],
            decision_number=rec["decision_number"],
            decision_date=_date(rec["decision_date"], "procedures", row, "decision_date", errors),
            is_example_code=rec["is_example_code"].lower() in {"yes", "true", "1", "có"},
        )
        if rec["decision_number"] and not rec["decision_date"]:
            errors.append(
                SheetError("procedures", row, "decision_date", _("a publishing decision needs its date"))
            )
        rows[code] = {"procedure": row, "channels": [], "papers": [], "process": []}
    for sheet, key in (("channels", "channels"), ("papers", "papers"), ("steps", "process")):
        for row, rec in tables[sheet]:
            target = procedures.get(rec["code"])
            if target is None:
                errors.append(SheetError(sheet, row, "code", _("no procedure with code “%s”") % rec["code"]))
                continue
            item = _item(sheet, rec, row, errors)
            getattr(target, key).append(item)
            rows[rec["code"]][key].append(row)
    for code, data in procedures.items():
        for problem in validate(data, for_publishing=bool(data.decision_number)):
            errors.append(_locate(problem, rows[code]))
    if errors:
        raise SpreadsheetRejected(
            sorted(errors, key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet in SHEETS else 9, e.row))
        )
    return ParsedCatalogue(fields=fields, procedures=list(procedures.values()), rows=rows)


def _item(sheet: str, rec: dict[str, str], row: int, errors: list[SheetError]) -> Any:
    def num(column: str, default: int | None = None) -> int:
        return _int(rec[column], sheet, row, column, errors, default=default)

    if sheet == "channels":
        return ChannelData(
            rec["channel"],
            num("time_amount"),
            rec["time_unit"],
            rec["fee_kind"] or "none",
            num("fee_amount", 0),
            rec["fee_collection"] or "none",
            rec["fee_note"],
        )
    if sheet == "papers":
        return PaperData(
            num("order"),
            rec["name"],
            num("originals", 0),
            num("certified_copies", 0),
            num("photocopies", 0),
            rec["template"],
            rec.get("optional", "").lower() in _YES,
        )
    return StepData(
        rec["level"],
        num("order"),
        rec["name"],
        rec["role"],
        rec["unit_kind"],
        num("budget_amount"),
        rec["budget_unit"],
        rec["handover_to"],
    )


def _locate(problem: Any, rows: dict[str, Any]) -> SheetError:
    where: str = problem.where
    if "[" in where:
        group, index = where[:-1].split("[")
        sheet = {"process": "steps"}.get(group, group)
        return SheetError(sheet, rows[group][int(index) - 1], problem.column, problem.message)
    if where == "process":
        first = rows["process"][0] if rows["process"] else rows["procedure"]
        return SheetError("steps", first, problem.column, problem.message)
    return SheetError("procedures", rows["procedure"], problem.column, problem.message)


# ---------------------------------------------------------------- writing


# long: to be split (issue #23)
def rows_for(procedures: list[ProcedureData], fields: dict[str, str]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    out["fields"] = [[code, name] for code, name in sorted(fields.items())]
    for p in procedures:
        out["procedures"].append(
            [
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
        )
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
                p.code,
                x.order,
                x.name,
                x.originals,
                x.certified_copies,
                x.photocopies,
                x.template,
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


def _as_text_cell(sheet: Any, value: Any) -> Any:
    """Text that looks like a formula is stored as text: nothing in the catalogue is ever
    evaluated by a civil servant's spreadsheet program, and the round trip stays exact."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(procedures: list[ProcedureData], fields: dict[str, str]) -> bytes:
    from openpyxl import Workbook

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


def csv_tables(files: dict[str, str]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Sheets from CSV texts keyed by sheet name (used by the demo loader)."""
    out = {}
    for name, text in files.items():
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        out[name] = ([h.strip() for h in rows[0]] if rows else [], [list(r) for r in rows[1:]])
    return out
