"""`egov catalog, report, workcal`: the catalogue exchange, statistics reports, the working-day calendar."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from egov.commands.bootstrap import Subparsers, require_database, setup_django


def _catalog_progress(done: int, total: int) -> None:
    if done == total or done % 100 == 0:
        print(f"  {done}/{total} procedures", flush=True)


def cmd_catalog(args: argparse.Namespace) -> int:
    setup_django()
    require_database()
    # After setup_django(): the exchange uses the catalogue's models.
    from egov.catalog.exchange import catalog_export_bytes, catalog_import_bytes
    from egov.catalog.spreadsheet import SpreadsheetRejected

    path = Path(args.file)
    if args.catalog_command == "export":
        path.write_bytes(catalog_export_bytes(fmt="zip" if path.suffix.lower() == ".zip" else "xlsx"))
        print(f"exported to {path}")
        return 0
    if not path.is_file():
        print(f"egov catalog: no such file: {path}", file=sys.stderr)
        return 2
    try:
        report = catalog_import_bytes(
            content=path.read_bytes(),
            filename=path.name,
            by=None,
            dry_run=args.dry_run,
            progress=_catalog_progress,
        )
    except SpreadsheetRejected as exc:
        print(f"nothing imported: {len(exc.errors)} problem(s)", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{verb}: {report.created} new, {report.updated} changed, {report.unchanged} unchanged, "
        f"{report.published} published"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    setup_django()
    require_database()
    # After setup_django(): the reports read the models.
    from egov.orgs.selectors import unit_by_code
    from egov.reports import exports
    from egov.reports.ii06a import ii06a
    from egov.reports.periods import Period

    unit = unit_by_code(args.unit)
    if unit is None:
        print(
            f"egov report: no unit with agency identifier or statistics code {args.unit!r}", file=sys.stderr
        )
        return 2
    try:
        period = Period(dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end))
    except ValueError as exc:
        print(f"egov report: invalid period: {exc}", file=sys.stderr)
        return 2
    report = ii06a(unit=unit, period=period, group_by=args.group_by, with_predecessors=args.with_predecessors)
    if args.format == "json":
        content = json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
    elif args.format == "xlsx":
        content = exports.to_xlsx(report)
    else:
        content = exports.to_pdf(report)
    if args.out:
        Path(args.out).write_bytes(content)
        print(f"written to {args.out}")
    elif args.format == "json":
        print(content.decode("utf-8"))
    else:
        sys.stdout.buffer.write(content)
    return 0


def cmd_workcal(argv: list[str]) -> int:
    """`egov workcal ...` (its own parser, in `egov.workcal.cli`)."""
    # After setup_django(): the stored calendar is a model.
    from egov.workcal.cli import main as workcal_main
    from egov.workcal.selectors import calendar_from_record, default_work_calendar

    # The province's stored calendar (with its announced overrides) when there is one.
    record = default_work_calendar()
    return workcal_main(argv, calendar_from_record(record) if record else None)


def add_catalog_parser(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """`egov catalog export, catalog import`."""
    catalog = sub.add_parser("catalog", help="procedure catalogue import/export (.xlsx or .zip of CSV)")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True)
    export = catalog_sub.add_parser("export", help="write the published catalogue to FILE (.xlsx or .zip)")
    export.add_argument("file")
    export.set_defaults(func=cmd_catalog)
    cat_import = catalog_sub.add_parser(
        "import", help="validate and import FILE; exit 0 only if all was valid"
    )
    cat_import.add_argument("file")
    cat_import.add_argument("--dry-run", action="store_true", help="validate and report, change nothing")
    cat_import.set_defaults(func=cmd_catalog)


def add_report_parser(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """`egov report ii06a`."""
    report = sub.add_parser("report", help="statistics reports")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    ii06a = report_sub.add_parser("ii06a", help="form II.06a for a unit and a period")
    ii06a.add_argument("--unit", required=True, help="agency identifier or statistics code")
    ii06a.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    ii06a.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    ii06a.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
    ii06a.add_argument("--group-by", choices=["field", "level"], default="field")
    ii06a.add_argument("--out", help="write to FILE instead of standard output")
    ii06a.add_argument(
        "--with-predecessors",
        action="store_true",
        help="include the history of units this one took over from in reorganisations",
    )
    ii06a.set_defaults(func=cmd_report)
