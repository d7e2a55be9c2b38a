from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from egov.catalog import services
from egov.catalog.exchange import catalog_export_bytes, catalog_import_bytes
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.selectors import version_to_data
from egov.catalog.spreadsheet import SHEETS, SpreadsheetRejected
from egov.catalog.tests.samples import birth_registration, judicial_record
from egov.cli import main as egov_main


def _published_catalogue() -> None:
    for data in (birth_registration(), judicial_record()):
        draft = services.procedure_save_draft(data=data, by=None)
        services.procedure_publish(
            version=draft, by=None, decision_number="1/QĐ-UBND", decision_date=dt.date(2021, 6, 1)
        )


def _snapshot() -> list[dict[str, object]]:
    versions = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("procedure__code")
    return [version_to_data(v).as_json() for v in versions]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_procedures(fmt: str) -> None:
    _published_catalogue()
    before = _snapshot()
    content = catalog_export_bytes(fmt=fmt)
    ProcedureVersion.objects.all().delete()  # test-only reset of a throw-away catalogue
    from egov.catalog.models import Field, Procedure

    Procedure.objects.all().delete()
    Field.objects.all().delete()
    report = catalog_import_bytes(content=content, filename=f"catalogue.{fmt}", by=None)
    assert (report.created, report.published) == (2, 2)
    assert _snapshot() == before


@pytest.mark.django_db
def test_reimporting_an_unchanged_export_changes_nothing() -> None:
    _published_catalogue()
    report = catalog_import_bytes(content=catalog_export_bytes(), filename="c.xlsx", by=None)
    assert (report.unchanged, report.created, report.updated) == (2, 0, 0)
    assert ProcedureVersion.objects.count() == 2


def _workbook(rows: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name in SHEETS:
        sheet = book.create_sheet(name)
        sheet.append(SHEETS[name])
        for row in rows.get(name, []):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BAD = {
    "fields": [["HT", "Hộ tịch"]],
    "procedures": [
        [
            "1.1",
            "",
            "Đăng ký khai sinh",
            "HT",
            "",
            "commune",
            "UBND xã",
            "citizen",
            "none",
            2,
            "",
            "pause",
            "",
            "",
            "",
            "",
            "",
            "",
            "no",
        ],
        [
            "1.1",
            "",
            "Trùng mã",
            "HT",
            "",
            "commune",
            "",
            "citizen",
            "none",
            2,
            "",
            "pause",
            "",
            "",
            "",
            "",
            "",
            "",
            "no",
        ],
        [
            "1.2",
            "",
            "Lĩnh vực lạ",
            "XX",
            "",
            "commune",
            "",
            "citizen",
            "none",
            2,
            "",
            "pause",
            "",
            "",
            "",
            "",
            "",
            "",
            "no",
        ],
    ],
    "channels": [
        ["1.1", "direct", 0, "working_days", "none", 0, "none", ""],
        ["1.2", "direct", 2, "working_days", "charge", "12.5", "before", ""],
        ["9.9", "direct", 2, "working_days", "none", 0, "none", ""],
    ],
    "steps": [["1.2", "commune", 1, "Xử lý", "specialist", "division", 3, "working_days", ""]],
}


@pytest.mark.django_db
def test_bad_workbook_reports_sheet_row_column_and_imports_nothing() -> None:
    with pytest.raises(SpreadsheetRejected) as caught:
        catalog_import_bytes(content=_workbook(BAD), filename="bad.xlsx", by=None)
    found = {(e.sheet, e.row, e.column) for e in caught.value.errors}
    assert ("procedures", 3, "code") in found  # duplicate code
    assert ("procedures", 4, "field_code") in found  # unknown field
    assert ("channels", 2, "time_amount") in found  # zero time limit
    assert ("channels", 3, "fee_amount") in found  # not whole VND
    assert ("channels", 4, "code") in found  # unknown procedure
    assert ("steps", 2, "budget_amount") in found  # 3 days of steps in a 2-day limit
    assert all(str(e).startswith("trang") for e in caught.value.errors)
    assert not ProcedureVersion.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_without_writing() -> None:
    _published_catalogue()
    content = catalog_export_bytes()
    ProcedureVersion.objects.filter(procedure__code="2.000488").update(name="Tên cũ")
    report = catalog_import_bytes(content=content, filename="c.xlsx", by=None, dry_run=True)
    assert report.updated == 1
    assert ProcedureVersion.objects.get(procedure__code="2.000488", status="published").name == "Tên cũ"
    assert ProcedureVersion.objects.count() == 2


@pytest.mark.django_db
def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(SpreadsheetRejected):
        catalog_import_bytes(content=b"PK\x03\x04garbage", filename="x.xlsx", by=None)
    with pytest.raises(SpreadsheetRejected):
        catalog_import_bytes(content=b"a,b", filename="x.csv", by=None)


@pytest.mark.django_db
def test_formula_like_text_is_exported_as_text() -> None:
    draft = services.procedure_save_draft(data=birth_registration(conditions="=HYPERLINK(1)"), by=None)
    services.procedure_publish(version=draft, by=None, decision_number="1", decision_date=dt.date(2021, 1, 1))
    sheet = load_workbook(io.BytesIO(catalog_export_bytes()))["procedures"]
    cell = sheet.cell(row=2, column=SHEETS["procedures"].index("conditions") + 1)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


@pytest.mark.django_db
def test_cli_import_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_workbook(BAD))
    assert egov_main(["catalog", "import", str(bad)]) == 1
    assert "trang procedures" in capsys.readouterr().err
    _published_catalogue()
    good = tmp_path / "good.xlsx"
    assert egov_main(["catalog", "export", str(good)]) == 0
    assert egov_main(["catalog", "import", str(good), "--dry-run"]) == 0
    assert "2 unchanged" in capsys.readouterr().out
    assert egov_main(["catalog", "import", str(tmp_path / "missing.xlsx")]) == 2


@pytest.mark.django_db
def test_headings_are_vietnamese_with_the_keys_in_a_hidden_sheet() -> None:
    """Issue #13: the column headings were the English keys."""
    _published_catalogue()
    book = load_workbook(io.BytesIO(catalog_export_bytes()))
    headings = [c.value for c in book["procedures"][1]]
    assert headings[:3] == ["Mã thủ tục", "Mã công bố", "Tên thủ tục"]
    assert not set(headings) & set(SHEETS["procedures"])
    assert [c.value for c in book["steps"][1]][-1] == "Chuyển cho cơ quan"
    columns = book["columns"]
    assert columns.sheet_state == "hidden"
    assert ("procedures", "legal_basis", "Căn cứ pháp lý") in {
        tuple(c.value for c in row) for row in columns.iter_rows(min_row=2)
    }


def _reset_catalogue() -> None:
    from egov.catalog.models import Field, Procedure

    ProcedureVersion.objects.all().delete()  # test-only reset of a throw-away catalogue
    Procedure.objects.all().delete()
    Field.objects.all().delete()


def _rewrite(content: bytes, *, english_keys: bool = False, drop_columns: bool = False) -> bytes:
    book = load_workbook(io.BytesIO(content))
    if english_keys:
        for name, keys in SHEETS.items():
            for i, key in enumerate(keys, start=1):
                book[name].cell(row=1, column=i, value=key)
    if drop_columns or english_keys:
        book.remove(book["columns"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["as exported", "older file with English keys", "columns sheet deleted"])
def test_round_trip_with_vietnamese_headings_and_older_files(variant: str) -> None:
    _published_catalogue()
    before = _snapshot()
    content = catalog_export_bytes(fmt="xlsx")
    if variant == "older file with English keys":
        content = _rewrite(content, english_keys=True)
    elif variant == "columns sheet deleted":
        content = _rewrite(content, drop_columns=True)
    _reset_catalogue()
    report = catalog_import_bytes(content=content, filename="catalogue.xlsx", by=None)
    assert (report.created, report.published) == (2, 2)
    assert _snapshot() == before
