"""Catalogue import/export: an .xlsx workbook or a .zip of CSV files, one sheet per group.

Sheets: fields, procedures (one row per procedure), channels, papers, steps (rows keyed by the
procedure code). Export writes exactly what import reads, so a round trip changes nothing.

In a workbook the first row holds Vietnamese column headings for the officers; the stable column
keys live in the hidden sheet "columns" (sheet, key, heading). Import reads a heading through that
sheet, through the built-in headings, or as a key, so older files with English keys still work.
CSV archives keep the keys as their header row: they are for machines.

Modules: ``columns`` (the sheets, their keys and headings, the error types), ``reading`` (files to
procedures, every problem collected), ``writing`` (procedures to files)."""

from egov.catalog.spreadsheet.columns import (
    COLUMNS_SHEET,
    HEADINGS,
    LATER_COLUMNS,
    REQUIRED_SHEETS,
    SHEETS,
    ParsedCatalogue,
    SheetError,
    SpreadsheetRejected,
)
from egov.catalog.spreadsheet.reading import csv_tables, parse, read_xlsx, read_zip
from egov.catalog.spreadsheet.writing import rows_for, write_xlsx, write_zip

__all__ = [
    "COLUMNS_SHEET",
    "HEADINGS",
    "LATER_COLUMNS",
    "REQUIRED_SHEETS",
    "SHEETS",
    "ParsedCatalogue",
    "SheetError",
    "SpreadsheetRejected",
    "csv_tables",
    "parse",
    "read_xlsx",
    "read_zip",
    "rows_for",
    "write_xlsx",
    "write_zip",
]
