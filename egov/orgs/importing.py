"""Parsing and validating organisation CSV files before anything is written (all-or-nothing)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.orgs.models import UnitLevel

UNIT_COLUMNS = ("gso_code", "name", "unit_type", "level", "parent_gso_code")
REORG_COLUMNS = ("old_gso_code", "old_name", "new_gso_code", "new_name", "split")
_SPLIT_VALUES = {"no", "default", "part"}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file had problems; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class UnitRow:
    line: int
    gso_code: str
    name: str
    unit_type: str
    level: str
    parent_gso_code: str


@dataclass(frozen=True)
class ReorgRow:
    line: int
    old_gso_code: str
    new_gso_code: str
    split: str


def _read(content: bytes | str, required: tuple[str, ...]) -> tuple[list[dict[str, str]], list[RowError]]:
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [RowError(1, "", _("the file is not UTF-8 encoded text"))]
    else:
        text = content.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        return [], [RowError(1, ", ".join(missing), _("required column is missing"))]
    rows = []
    for record in reader:
        if None in record:
            rows.append({"__extra__": "1", **{k: v for k, v in record.items() if k is not None}})
        else:
            rows.append({k: (v or "").strip() for k, v in record.items()})
    return rows, []


def _check_code(value: str, line: int, column: str, errors: list[RowError]) -> None:
    if not value:
        errors.append(RowError(line, column, _("must not be empty")))
    elif not value.isdigit() or len(value) > 10:
        errors.append(RowError(line, column, _("must be a numeric statistics code, got “%s”") % value))


def parse_units(content: bytes | str, *, known_parent_codes: set[str] | None = None) -> list[UnitRow]:
    """Validate a units file: codes, levels, unique codes, parents that exist and sit one level up."""
    records, errors = _read(content, UNIT_COLUMNS)
    if errors:
        raise ImportRejected(errors)
    known_parent_codes = known_parent_codes or set()
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    levels = {lv.value for lv in UnitLevel}
    for index, rec in enumerate(records, start=2):
        if rec.get("__extra__"):
            errors.append(RowError(index, "", _("the row has more fields than the header")))
            continue
        row = UnitRow(
            index, rec["gso_code"], rec["name"], rec["unit_type"], rec["level"], rec["parent_gso_code"]
        )
        _check_code(row.gso_code, index, "gso_code", errors)
        if not row.name:
            errors.append(RowError(index, "name", _("must not be empty")))
        elif len(row.name) > 255:
            errors.append(RowError(index, "name", _("is longer than 255 characters")))
        if row.level not in levels:
            errors.append(
                RowError(
                    index, "level", _("must be one of province, district, commune; got “%s”") % row.level
                )
            )
        if row.gso_code in seen:
            errors.append(
                RowError(
                    index,
                    "gso_code",
                    _("code %(code)s already appears on line %(line)s")
                    % {"code": row.gso_code, "line": seen[row.gso_code]},
                )
            )
        seen.setdefault(row.gso_code, index)
        rows.append(row)
    _check_parents(rows, known_parent_codes, errors)
    if not rows and not errors:
        errors.append(RowError(2, "", _("the file contains no units")))
    if errors:
        raise ImportRejected(errors)
    return rows


def _check_parents(rows: list[UnitRow], known_parent_codes: set[str], errors: list[RowError]) -> None:
    """Each unit but a province has a parent, in the file or known, one level up."""
    by_code = {r.gso_code: r for r in rows}
    parent_level = {"district": {"province"}, "commune": {"district", "province"}}
    for row in rows:
        if row.level == "province":
            if row.parent_gso_code:
                errors.append(RowError(row.line, "parent_gso_code", _("a province has no parent")))
            continue
        if not row.parent_gso_code:
            errors.append(RowError(row.line, "parent_gso_code", _("must not be empty")))
            continue
        parent = by_code.get(row.parent_gso_code)
        if parent is None and row.parent_gso_code not in known_parent_codes:
            errors.append(
                RowError(row.line, "parent_gso_code", _("unknown parent code “%s”") % row.parent_gso_code)
            )
        elif parent is not None and row.level in parent_level and parent.level not in parent_level[row.level]:
            errors.append(
                RowError(
                    row.line,
                    "parent_gso_code",
                    _("a %(level)s cannot sit under a %(parent)s")
                    % {"level": row.level, "parent": parent.level},
                )
            )


def parse_reorg(content: bytes | str, *, old_codes: set[str], new_codes: set[str]) -> list[ReorgRow]:
    """Validate an old→new mapping against the units that exist on each side."""
    records, errors = _read(content, REORG_COLUMNS)
    if errors:
        raise ImportRejected(errors)
    rows: list[ReorgRow] = []
    pairs: set[tuple[str, str]] = set()
    for index, rec in enumerate(records, start=2):
        if rec.get("__extra__"):
            errors.append(RowError(index, "", _("the row has more fields than the header")))
            continue
        row = ReorgRow(index, rec["old_gso_code"], rec["new_gso_code"], rec["split"].lower())
        _check_code(row.old_gso_code, index, "old_gso_code", errors)
        _check_code(row.new_gso_code, index, "new_gso_code", errors)
        if row.old_gso_code and row.old_gso_code not in old_codes:
            errors.append(
                RowError(index, "old_gso_code", _("no current unit has code “%s”") % row.old_gso_code)
            )
        if row.new_gso_code and row.new_gso_code not in new_codes:
            errors.append(
                RowError(index, "new_gso_code", _("code “%s” is not in the new structure") % row.new_gso_code)
            )
        if row.split not in _SPLIT_VALUES:
            errors.append(
                RowError(index, "split", _("must be one of no, default, part; got “%s”") % row.split)
            )
        if (row.old_gso_code, row.new_gso_code) in pairs:
            errors.append(RowError(index, "", _("this old→new pair appears twice")))
        pairs.add((row.old_gso_code, row.new_gso_code))
        rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows
