"""Issue #13: a paper handed in "only if any" (nếu có) is marked in the catalogue, round-trips
through the editor, the spreadsheet and the API, and older files without the column still import."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from egov.catalog import services
from egov.catalog.exchange import catalog_export_bytes, catalog_import_bytes
from egov.catalog.models import ProcedureVersion, RequiredPaper
from egov.catalog.tests.samples import birth_registration

pytestmark = pytest.mark.django_db


def _with_optional_paper() -> ProcedureVersion:
    data = birth_registration()
    data.papers[1] = dataclasses.replace(data.papers[1], optional=True)
    draft = services.procedure_save_draft(data=data, by=None)
    return services.procedure_publish(
        version=draft, by=None, decision_number="1/QĐ-UBND", decision_date=dt.date(2021, 6, 1)
    )


def _reimport(content: bytes, filename: str) -> None:
    ProcedureVersion.objects.all().delete()  # test-only reset of a throw-away catalogue
    catalog_import_bytes(content=content, filename=filename, by=None)


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_the_flag_survives_export_and_import(fmt: str) -> None:
    _with_optional_paper()
    _reimport(catalog_export_bytes(fmt=fmt), f"c.{fmt}")
    assert dict(RequiredPaper.objects.values_list("order", "optional")) == {1: False, 2: True}


def test_the_workbook_has_a_vietnamese_heading_and_a_key_for_it() -> None:
    _with_optional_paper()
    book = load_workbook(io.BytesIO(catalog_export_bytes(fmt="xlsx")))
    headings = [c.value for c in book["papers"][1]]
    assert "Nộp nếu có" in headings
    keys = {(r[0], r[1]) for r in book["columns"].iter_rows(values_only=True)}
    assert ("papers", "optional") in keys


def test_an_older_workbook_without_the_column_still_imports() -> None:
    _with_optional_paper()
    book = load_workbook(io.BytesIO(catalog_export_bytes(fmt="xlsx")))
    sheet = book["papers"]
    column = [c.value for c in sheet[1]].index("Nộp nếu có") + 1
    sheet.delete_cols(column)
    buffer = io.BytesIO()
    book.save(buffer)
    _reimport(buffer.getvalue(), "old.xlsx")
    assert RequiredPaper.objects.count() == 2 and not RequiredPaper.objects.filter(optional=True).exists()


def test_the_editor_has_a_checkbox_for_it() -> None:
    from egov.catalog.forms import PaperForm

    form = PaperForm(
        data={
            "order": 3,
            "name": "Giấy ủy quyền (nếu có)",
            "originals": 1,
            "certified_copies": 0,
            "photocopies": 0,
            "optional": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["optional"] is True
    assert 'type="checkbox"' in str(form["optional"])


def test_the_api_schemas_carry_it_with_a_default() -> None:
    import egov.urls  # noqa: F401  (the API modules are imported through the URL conf)
    from egov.catalog.api import PaperIn, PaperOut

    assert PaperIn(order=1, name="Tờ khai").optional is False
    assert PaperIn(order=1, name="Giấy ủy quyền", optional=True).optional is True
    assert PaperOut(order=1, name="x", originals=0, certified_copies=0, photocopies=0, optional=True).optional


def test_the_demo_marks_exactly_the_papers_named_only_if_any() -> None:
    path = Path(__file__).resolve().parents[2] / "demo" / "data" / "catalog" / "papers.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    flagged = {r["name"] for r in rows if r["optional"] == "yes"}
    assert flagged == {r["name"] for r in rows if "nếu có" in r["name"].lower()} and len(flagged) >= 10
