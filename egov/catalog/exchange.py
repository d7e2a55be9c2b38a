"""Catalogue import/export entry points shared by the web page, the API and the CLI."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.catalog.models import Field, ProcedureVersion, VersionStatus
from egov.catalog.selectors import version_to_data
from egov.catalog.services import ImportReport, catalog_import
from egov.catalog.spreadsheet import (
    SheetError,
    SpreadsheetRejected,
    parse,
    read_xlsx,
    read_zip,
    write_xlsx,
    write_zip,
)


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def catalog_export_bytes(*, fmt: str = "xlsx") -> bytes:
    """The published catalogue (current versions) as .xlsx or a .zip of CSV files."""
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("procedure", "field")
        .prefetch_related("channels", "papers", "process_steps")
        .order_by("procedure__code")
    )
    procedures = [version_to_data(v) for v in versions]
    fields = dict(Field.objects.values_list("code", "name"))
    return write_zip(procedures, fields) if fmt == "zip" else write_xlsx(procedures, fields)


def catalog_import_bytes(
    *,
    content: bytes,
    filename: str,
    by: Actor | None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate everything first, then import in one transaction (or roll back for a dry run)."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        sheets = read_xlsx(content)
    elif lower.endswith(".zip"):
        sheets = read_zip(content)
    else:
        raise SpreadsheetRejected(
            [SheetError("-", 1, "", _("only .xlsx files or .zip files of CSV are accepted"))]
        )
    parsed = parse(sheets, known_fields=set(Field.objects.values_list("code", flat=True)))
    try:
        with transaction.atomic():
            report = catalog_import(parsed=parsed, by=by, progress=progress)
            if dry_run:
                raise _DryRun(report)
    except _DryRun as finished:
        return finished.report
    return report
