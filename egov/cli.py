# long: to be split (issue #23)
"""The `egov` command: demo, serve, worker, audit, backup, restore, workcal, and every Django management command."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    from egov.core.env import ImproperEnvironment

    try:
        django.setup()
    except ImproperEnvironment as exc:
        print(f"egov: invalid setting {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _require_database() -> None:
    """Stop with one line saying what to run when the database is missing or not migrated
    (instead of a traceback from the first query)."""
    from pathlib import Path

    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    database = settings.DATABASES["default"]
    hint = "run `uv run egov demo` (demo data) or `uv run egov migrate` (an empty database)"
    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()  # type: ignore[attr-defined]
        and not Path(str(database["NAME"])).is_file()
    ):
        print(f"egov: no database at {database['NAME']}; {hint}", file=sys.stderr)
        raise SystemExit(2)
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        print(f"egov: cannot use the database ({str(exc).strip().splitlines()[0]})", file=sys.stderr)
        raise SystemExit(2) from None
    if pending:
        print(f"egov: the database is not migrated ({len(pending)} pending); {hint}", file=sys.stderr)
        raise SystemExit(2)


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _gunicorn(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "egov.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def _worker_cmd() -> list[str]:
    return [sys.executable, "-m", "egov.cli", "worker"]


def _scheduler_cmd() -> list[str]:
    return [sys.executable, "-m", "egov.cli", "scheduler"]


def _process_name(cmd: list[str]) -> str:
    return next((name for name in ("gunicorn", "worker", "scheduler") if name in cmd), " ".join(cmd[:4]))


RESTART_DELAY = 1.0  # seconds before the first restart of a crashed child; doubles up to the maximum
RESTART_DELAY_MAX = 30.0
STABLE_AFTER = 60.0  # a child that ran this long before stopping starts again after the first delay


def _run_processes(commands: list[list[str]], *, restart: bool = False) -> int:
    """Run the web server and worker together; on Ctrl-C or SIGTERM stop them all (a supervisor
    stopping us must not leave gunicorn or the worker running).

    When a child stops by itself: without ``restart`` (production, where systemd or the container
    restarts the service) everything stops with its exit code; with ``restart`` (the demo) only
    that child is started again, after a delay that grows while it keeps crashing, and why is
    logged on standard error (one worker hitting a locked database must not take the web server
    down with it)."""
    import time

    def _terminated(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, _terminated)
    procs = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603 - our own interpreter and modules
    started = [time.monotonic()] * len(procs)
    delays = [RESTART_DELAY] * len(procs)
    restart_at: list[float | None] = [None] * len(procs)
    try:
        while True:
            now = time.monotonic()
            for i, proc in enumerate(procs):
                if restart_at[i] is not None:
                    if now >= (restart_at[i] or 0):
                        procs[i] = subprocess.Popen(commands[i])  # noqa: S603 - as above
                        started[i], restart_at[i] = now, None
                    continue
                code = proc.poll()
                if code is None:
                    continue
                if not restart:
                    return code
                if now - started[i] >= STABLE_AFTER:
                    delays[i] = RESTART_DELAY
                print(
                    f"egov: {_process_name(commands[i])} (pid {proc.pid}) stopped with exit code {code}; "
                    f"restarting it in {delays[i]:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
                restart_at[i] = now + delays[i]
                delays[i] = min(delays[i] * 2, RESTART_DELAY_MAX)
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        signal.signal(signal.SIGTERM, previous)


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("EGOV_DEMO", "1")
    _setup_django()
    from django.conf import settings

    from egov.demo.loader import DEMO_PASSWORD, load_demo

    print(f"egov demo: data in {settings.DATA_DIR}", flush=True)
    _manage("migrate", "--no-input", "--verbosity", "0")
    logins = load_demo(province_letter_code=args.province_code)
    base = f"http://{args.host}:{args.port}"
    print("\negov demo is starting:")
    print(f"  back office:   {base}/")
    print(f"  sign in:       {base}/accounts/login/")
    print(f"  citizen portal: {base}/cong-dan/")
    print(f"  API docs:      {base}/api/v1/docs")
    print(f"  health:        {base}/healthz  {base}/readyz")
    print(f"\nDemo logins by journey (password for all: {DEMO_PASSWORD}):")
    journey = None
    for login in logins:
        if login.journey != journey:
            journey = login.journey
            print(f"  {journey}:")
        print(f"    {login.username:<16} {login.description}")
    print(
        "\nThe province as of 2021 is Kiên Giang (three levels); from 1 July 2025 it is part of the"
        " two-level An Giang. Agency codes, departments of the new province, accounts and dossiers"
        " are illustrative."
    )
    if settings.DEMO_RELAX_2FA:
        print(
            "\nDEMO SWITCH ON: demo accounts skip the TOTP second factor (EGOV_DEMO_RELAX_2FA=0 to require it)."
        )
    else:
        print(
            "\nStaff sign in with TOTP. An account enrols its authenticator app with a one-time code:"
            " `egov otp_enrolment_code USERNAME` (same EGOV_DATA_DIR), or the staff page of a signed-in administrator."
        )
    print("Stop with Ctrl-C.\n", flush=True)
    if args.no_serve:
        return 0
    return _run_processes(
        [_gunicorn(args.host, args.port, args.workers), _worker_cmd(), _scheduler_cmd()], restart=True
    )


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    commands = [_gunicorn(args.host, args.port, args.workers)]
    if args.with_worker:
        commands.append(_worker_cmd())
    return _run_processes(commands)


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    _manage("db_worker", "--queue-name", "*")
    return 0


def run_periodic_jobs() -> dict[str, int]:
    """One pass of the periodic jobs; safe to run in two schedulers at once (conditional updates)."""
    from egov.documents.services import documents_sweep, transfer_warnings_sweep
    from egov.dossiers.services import overdue_sweep
    from egov.notifications.services import deliveries_retry_due
    from egov.portal.services import drafts_purge_expired

    return {
        "overdue_marked": overdue_sweep(),
        # The document clocks: submission to the leader, deadlines approaching and overdue.
        **documents_sweep(),
        "deliveries_requeued": deliveries_retry_due(),
        "drafts_purged": drafts_purge_expired(),
        "work_files_transfer_warned": transfer_warnings_sweep(),
        "audit_anchor_published": _publish_audit_anchor(),
    }


def _publish_audit_anchor() -> int:
    import logging

    from django.conf import settings

    from egov.audit.services import audit_anchor_publish

    try:
        result = audit_anchor_publish(
            directory=settings.EGOV_AUDIT_ANCHOR_DIR,
            email=settings.EGOV_AUDIT_ANCHOR_EMAIL,
            min_interval=dt.timedelta(minutes=settings.EGOV_AUDIT_ANCHOR_MINUTES),
        )
    except OSError:
        # An unwritable anchor directory must not stop the overdue watch and the retries.
        logging.getLogger("egov.scheduler").exception("audit anchor not published")
        return 0
    return 0 if result.published is None else 1


def cmd_scheduler(args: argparse.Namespace) -> int:
    _setup_django()
    import logging
    import time

    log = logging.getLogger("egov.scheduler")
    while True:
        result = run_periodic_jobs()
        log.info("periodic jobs: %s", result)
        if args.once:
            print(result)
            return 0
        time.sleep(args.interval)


def cmd_audit(args: argparse.Namespace) -> int:
    _setup_django()
    _require_database()
    from pathlib import Path

    from egov.audit.services import AnchorError, anchor_parse, anchors_read, audit_verify

    if args.audit_command == "anchor":
        from django.conf import settings

        from egov.audit.services import audit_anchor_publish

        directory = Path(args.dir) if args.dir else settings.EGOV_AUDIT_ANCHOR_DIR
        published = audit_anchor_publish(directory=directory, email=settings.EGOV_AUDIT_ANCHOR_EMAIL)
        if not published.previous_holds:
            print("audit anchor: the last anchor in the file no longer holds; run `egov audit verify`")
        print(f"audit anchor: {published.published or 'unchanged'} ({directory})")
        return 0 if published.previous_holds else 1
    try:
        anchors = [anchor_parse(text) for text in args.expect]
        for name in args.anchors:
            anchors += anchors_read(Path(name).read_text(encoding="utf-8"))
    except (AnchorError, OSError) as exc:
        print(f"egov audit verify: {exc}", file=sys.stderr)
        return 2
    result = audit_verify(anchors=anchors)
    if result.ok:
        head = f"head {result.head}" if result.head else "empty chain"
        against = f", {result.anchors_checked} anchor(s) hold" if anchors else ""
        print(f"audit chain OK: {result.checked} entries verified{against}; {head}")
        return 0
    print(
        f"audit chain BROKEN at entry #{result.broken_seq}: {result.reason} ({result.checked} entries verified before it)"
    )
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    _setup_django()
    _require_database()
    from pathlib import Path

    from egov.audit.backup import BackupError, backup_create

    try:
        result = backup_create(out=Path(args.out))
    except BackupError as exc:
        print(f"egov backup: {exc}", file=sys.stderr)
        return 1
    head = f"audit head {result.head}" if result.head else "empty audit chain"
    print(f"backup written to {result.path}: database, {result.files} uploaded file(s), {head}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    from pathlib import Path

    from egov.audit.backup import BackupError, backup_restore

    try:
        result = backup_restore(archive=Path(args.archive), force=args.force)
    except BackupError as exc:
        print(f"egov restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored the database and {result.files} uploaded file(s); every SHA-256 matches")
    if not result.verify.ok:
        print(
            f"audit chain BROKEN at entry #{result.verify.broken_seq}: {result.verify.reason}",
            file=sys.stderr,
        )
        return 1
    anchor = f"holds the archived anchor {result.head}" if result.head else "is empty, as archived"
    print(f"audit chain OK: {result.verify.checked} entries verified; it {anchor}")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    _setup_django()
    _require_database()
    from pathlib import Path

    from egov.catalog.spreadsheet import SpreadsheetRejected

    path = Path(args.file)
    if args.catalog_command == "export":
        from egov.catalog.exchange import catalog_export_bytes

        path.write_bytes(catalog_export_bytes(fmt="zip" if path.suffix.lower() == ".zip" else "xlsx"))
        print(f"exported to {path}")
        return 0
    from egov.catalog.exchange import catalog_import_bytes

    if not path.is_file():
        print(f"egov catalog: no such file: {path}", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            print(f"  {done}/{total} procedures", flush=True)

    try:
        report = catalog_import_bytes(
            content=path.read_bytes(), filename=path.name, by=None, dry_run=args.dry_run, progress=progress
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
    _setup_django()
    _require_database()
    import datetime as dt
    import json
    from pathlib import Path

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


def _iso_date(value: str) -> dt.datetime:
    """``YYYY-MM-DD`` as 08:00 Vietnam time (the start of a working day)."""
    from zoneinfo import ZoneInfo

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
    print(f"egov generate: database {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}", flush=True)
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


def cmd_workcal(argv: list[str]) -> int:
    from egov.workcal.cli import main as workcal_main
    from egov.workcal.selectors import calendar_from_record, default_work_calendar

    # The province's stored calendar (with its announced overrides) when there is one.
    record = default_work_calendar()
    return workcal_main(argv, calendar_from_record(record) if record else None)


_Subparsers = argparse._SubParsersAction  # the type argparse gives add_subparsers()


def _add_server_parsers(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    """`egov demo, serve, worker, scheduler`."""
    demo = sub.add_parser("demo", help="migrate, load the demo province, serve, print URLs and logins")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--workers", type=int, default=2)
    demo.add_argument(
        "--province-code", default="H33", help="letter code of the demo province in agency identifiers"
    )
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo database and exit")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="production WSGI server (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--with-worker", action="store_true", help="also run a background task worker")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run queued background tasks")
    worker.set_defaults(func=cmd_worker)

    scheduler = sub.add_parser(
        "scheduler", help="periodic jobs: overdue watch, notification retries, draft purge, audit anchor"
    )
    scheduler.add_argument("--interval", type=int, default=60, help="seconds between passes")
    scheduler.add_argument("--once", action="store_true", help="run one pass and exit (for cron)")
    scheduler.set_defaults(func=cmd_scheduler)


def _add_audit_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    """`egov audit verify, audit anchor`."""
    audit = sub.add_parser("audit", help="audit trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser(
        "verify", help="check the hash chain and known anchors; print the head (SEQ:HASH)"
    )
    verify.add_argument(
        "--expect", action="append", default=[], metavar="SEQ:HASH", help="an anchor the chain must hold"
    )
    verify.add_argument(
        "--anchors",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of anchors, one SEQ:HASH a line",
    )
    verify.set_defaults(func=cmd_audit)
    anchor = audit_sub.add_parser(
        "anchor", help="append the chain head to the anchor file now (and e-mail it)"
    )
    anchor.add_argument("--dir", help="anchor directory (default EGOV_AUDIT_ANCHOR_DIR)")
    anchor.set_defaults(func=cmd_audit)


def _add_backup_parsers(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    """`egov backup, restore`."""
    backup = sub.add_parser("backup", help="one archive: database, uploaded files, audit head anchor")
    backup.add_argument("--out", required=True, help="directory (a dated name is chosen) or FILE.tar")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore an `egov backup` archive into an empty database")
    restore.add_argument("archive")
    restore.add_argument(
        "--force", action="store_true", help="replace a non-empty database and differing uploaded files"
    )
    restore.set_defaults(func=cmd_restore)


def _add_catalog_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
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


def _add_report_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="egov", description="egov digital-government platform")
    sub = parser.add_subparsers(dest="command")
    _add_server_parsers(sub)
    _add_audit_parser(sub)
    _add_backup_parsers(sub)
    _add_catalog_parser(sub)
    _add_generate_parser(sub)
    _add_report_parser(sub)
    sub.add_parser("workcal", help="working-day calendar (see `egov workcal --help`)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "workcal":
        _setup_django()
        if not {"-h", "--help"} & set(args_list):
            _require_database()
        return cmd_workcal(args_list[1:])
    known = {
        *("demo", "serve", "worker", "scheduler", "audit", "backup", "restore"),
        *("catalog", "report", "generate", "-h", "--help"),
    }
    if args_list and args_list[0] not in known:
        # Everything else is a Django management command (migrate, createsuperuser, shell, ...).
        _setup_django()
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
