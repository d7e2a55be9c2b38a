"""Reading a workbook or a .zip of CSV files into procedures, collecting every problem."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData, validate
from egov.catalog.spreadsheet.columns import (
    _YES,
    COLUMNS_SHEET,
    HEADINGS,
    LATER_COLUMNS,
    REQUIRED_SHEETS,
    SHEETS,
    ParsedCatalogue,
    SheetError,
    SpreadsheetRejected,
    Table,
)


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
    from openpyxl import load_workbook  # imported when a workbook is read, not when the app loads

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
        procedures[code] = _procedure(rec, row, fields, errors)
        rows[code] = {"procedure": row, "channels": [], "papers": [], "process": []}
    _attach_items(tables, procedures, rows, errors)
    for code, data in procedures.items():
        for problem in validate(data, for_publishing=bool(data.decision_number)):
            errors.append(_locate(problem, rows[code]))
    if errors:
        raise SpreadsheetRejected(
            sorted(errors, key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet in SHEETS else 9, e.row))
        )
    return ParsedCatalogue(fields=fields, procedures=list(procedures.values()), rows=rows)


def _procedure(
    rec: dict[str, str], row: int, fields: dict[str, str], errors: list[SheetError]
) -> ProcedureData:
    """One row of the procedures sheet (its channels, papers and steps come from the other sheets)."""
    data = ProcedureData(
        code=rec["code"],
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
    return data


def _attach_items(
    tables: dict[str, Table],
    procedures: dict[str, ProcedureData],
    rows: dict[str, dict[str, Any]],
    errors: list[SheetError],
) -> None:
    """Channels, papers and steps go to the procedure their code names; remember their rows."""
    for sheet, key in (("channels", "channels"), ("papers", "papers"), ("steps", "process")):
        for row, rec in tables[sheet]:
            target = procedures.get(rec["code"])
            if target is None:
                errors.append(SheetError(sheet, row, "code", _("no procedure with code “%s”") % rec["code"]))
                continue
            item = _item(sheet, rec, row, errors)
            getattr(target, key).append(item)
            rows[rec["code"]][key].append(row)


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


def csv_tables(files: dict[str, str]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Sheets from CSV texts keyed by sheet name (used by the demo loader)."""
    out = {}
    for name, text in files.items():
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        out[name] = ([h.strip() for h in rows[0]] if rows else [], [list(r) for r in rows[1:]])
    return out
