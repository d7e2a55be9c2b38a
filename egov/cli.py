"""The `egov` command: demo, serve, worker, audit, backup, restore, catalog, report, generate, workcal,
and every Django management command. The sub-commands live in `egov/commands/`, one module per group."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from egov.commands import data, processes, records, sign
from egov.commands.bootstrap import Subparsers as _Subparsers
from egov.commands.bootstrap import manage as _manage
from egov.commands.bootstrap import require_database as _require_database
from egov.commands.bootstrap import setup_django as _setup_django


def _iso_date(value: str) -> dt.datetime:
    """``YYYY-MM-DD`` as 08:00 Vietnam time (the start of a working day)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None
    return dt.datetime.combine(day, dt.time(8), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _progress_bar(started: float) -> Callable[[int, int], None]:
    import time

    def progress(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(
            f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)",
            end="",
            flush=True,
        )

    return progress


def _generate_refusal(args: argparse.Namespace) -> str:
    from egov.synthetic import documents
    from egov.synthetic.bulk import refusal

    if args.force:
        return ""
    return (refusal() if args.dossiers else "") or (documents.refusal() if args.documents else "")


def cmd_generate(args: argparse.Namespace) -> int:
    _setup_django()
    import time

    from django.conf import settings

    from egov.demo.loader import load_reference
    from egov.synthetic.bulk import GenerateRefused, bulk_generate
    from egov.synthetic.documents import DocumentsRefused, generate_documents

    if not (args.dossiers or args.documents):
        print("egov generate: give --dossiers N and/or --documents N", file=sys.stderr)
        return 2
    database = settings.DATABASES["default"]
    print(
        f"egov generate: database {str(database['ENGINE']).rsplit('.', 1)[-1]} {database['NAME']}",
        flush=True,
    )
    _manage("migrate", "--no-input", "--verbosity", "0")
    # Refuse before touching anything: the reference data must not land in a database we may not use.
    reason = _generate_refusal(args)
    if reason:
        print(f"egov generate: refused: {reason}", file=sys.stderr)
        return 2
    load_reference(province_letter_code=args.province_code)
    options = {"seed": args.seed, "years": args.years, "end": args.end, "force": args.force}
    try:
        for what, count, generate in (
            ("dossiers", args.dossiers, bulk_generate),
            ("documents", args.documents, generate_documents),
        ):
            if count:
                started = time.perf_counter()
                written = generate(**{what: count}, **options, progress=_progress_bar(started))
                print(f"\ngenerated {written:,} {what} in {time.perf_counter() - started:.0f} s", flush=True)
    except (GenerateRefused, DocumentsRefused) as exc:
        print(f"\negov generate: refused: {exc}", file=sys.stderr)
        return 2
    return 0


def _add_generate_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    """`egov generate`."""
    generate = sub.add_parser(
        "generate", help="fill the database with synthetic dossiers and documents (benchmarks)"
    )
    generate.add_argument("--dossiers", type=int, default=0)
    generate.add_argument(
        "--documents", type=int, default=0, help="documents with their entries, handling and files"
    )
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--years", type=int, default=10, help="spread receptions over this many years")
    generate.add_argument(
        "--end",
        type=_iso_date,
        default=None,
        help="cut the history at 08:00 of this day, YYYY-MM-DD (default: now); same seed and end, same data",
    )
    generate.add_argument(
        "--force", action="store_true", help="write even to a database with demo accounts or real dossiers"
    )
    generate.add_argument("--province-code", default="H33")
    generate.set_defaults(func=cmd_generate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="egov", description="egov digital-government platform")
    sub = parser.add_subparsers(dest="command")
    processes.add_parsers(sub)
    records.add_parsers(sub)
    data.add_catalog_parser(sub)
    _add_generate_parser(sub)
    data.add_report_parser(sub)
    sign.add_parsers(sub)
    sub.add_parser("workcal", help="working-day calendar (see `egov workcal --help`)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "workcal":
        _setup_django()
        if not {"-h", "--help"} & set(args_list):
            _require_database()
        return data.cmd_workcal(args_list[1:])
    known = {
        *("demo", "serve", "worker", "scheduler", "audit", "backup", "restore"),
        *("catalog", "report", "generate", "sign", "-h", "--help"),
    }
    if args_list and args_list[0] not in known:
        # Everything else is a Django management command (migrate, createsuperuser, shell, ...).
        _setup_django()
        # After _setup_django(), and only for this branch: the other commands need not load it.
        from django.core.management import execute_from_command_line

        execute_from_command_line(["egov", *args_list])
        return 0
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
