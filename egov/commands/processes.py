"""`egov demo, serve, worker, scheduler`: the processes, and the supervisor that runs them together."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from egov.commands.bootstrap import Subparsers, manage, setup_django

if TYPE_CHECKING:
    from egov.demo.loader import DemoLogin
    from egov.demo.signatures import DemoPki

RESTART_DELAY = 1.0  # seconds before the first restart of a crashed child; doubles up to the maximum
RESTART_DELAY_MAX = 30.0
STABLE_AFTER = 60.0  # a child that ran this long before stopping starts again after the first delay


def gunicorn_cmd(host: str, port: int, workers: int) -> list[str]:
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


def worker_cmd() -> list[str]:
    return [sys.executable, "-m", "egov.cli", "worker"]


def scheduler_cmd() -> list[str]:
    return [sys.executable, "-m", "egov.cli", "scheduler"]


def _process_name(cmd: list[str]) -> str:
    names = ("gunicorn", "worker", "scheduler", "animate")
    return next((name for name in names if name in cmd), " ".join(cmd[:4]))


class _Children:
    """The supervised children, with when each started, its next restart delay and when it restarts."""

    def __init__(self, commands: list[list[str]], running: Sequence[subprocess.Popen[bytes]] = ()) -> None:
        self.commands = commands
        # ``running``: children already started for the first commands (the demo's PKI).
        self.procs = [*running, *(subprocess.Popen(cmd) for cmd in commands[len(running) :])]  # noqa: S603 - our own interpreter and modules
        self.started = [time.monotonic()] * len(commands)
        self.delays = [RESTART_DELAY] * len(commands)
        self.restart_at: list[float | None] = [None] * len(commands)

    def poll(self, *, restart: bool) -> int | None:
        """One look at every child: start those whose delay is over, schedule a restart of those that
        stopped. Returns an exit code when, without ``restart``, a child stopped."""
        now = time.monotonic()
        for i, proc in enumerate(self.procs):
            due = self.restart_at[i]
            if due is not None:
                if now >= due:
                    self.procs[i] = subprocess.Popen(self.commands[i])  # noqa: S603 - as above
                    self.started[i], self.restart_at[i] = now, None
                continue
            code = proc.poll()
            if code is None:
                continue
            if not restart:
                return code
            self._schedule_restart(i, code, now)
        return None

    def _schedule_restart(self, i: int, code: int, now: float) -> None:
        if now - self.started[i] >= STABLE_AFTER:
            self.delays[i] = RESTART_DELAY
        print(
            f"egov: {_process_name(self.commands[i])} (pid {self.procs[i].pid}) stopped with exit code {code}; "
            f"restarting it in {self.delays[i]:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        self.restart_at[i] = now + self.delays[i]
        self.delays[i] = min(self.delays[i] * 2, RESTART_DELAY_MAX)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def run_processes(
    commands: list[list[str]], *, restart: bool = False, running: Sequence[subprocess.Popen[bytes]] = ()
) -> int:
    """Run the web server and worker together; on Ctrl-C or SIGTERM stop them all (a supervisor
    stopping us must not leave gunicorn or the worker running).

    When a child stops by itself: without ``restart`` (production, where systemd or the container
    restarts the service) everything stops with its exit code; with ``restart`` (the demo) only
    that child is started again, after a delay that grows while it keeps crashing, and why is
    logged on standard error (one worker hitting a locked database must not take the web server
    down with it)."""

    def _terminated(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, _terminated)
    children = _Children(commands, running)
    try:
        while True:
            code = children.poll(restart=restart)
            if code is not None:
                return code
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    finally:
        children.stop()
        signal.signal(signal.SIGTERM, previous)


def _print_demo_welcome(
    args: argparse.Namespace, logins: Sequence[DemoLogin], password: str, relax_2fa: bool, pki_url: str = ""
) -> None:
    base = f"http://{args.host}:{args.port}"
    print("\negov demo is starting:")
    print(f"  back office:   {base}/")
    print(f"  sign in:       {base}/accounts/login/")
    print(f"  citizen portal: {base}/cong-dan/")
    print(f"  API docs:      {base}/api/v1/docs")
    print(f"  health:        {base}/healthz  {base}/readyz")
    if pki_url:
        print(
            f"  demo PKI:      {pki_url}/  (time stamps, OCSP, CRL; demo certificates, not for real documents)"
        )
    print(f"\nDemo logins by journey (password for all: {password}):")
    journey = None
    width = max((len(login.username) for login in logins), default=16)
    for login in logins:
        if login.journey != journey:
            journey = login.journey
            print(f"  {journey}:")
        print(f"    {login.username:<{width}}  {login.description}")
    print(
        "\nThe province as of 2021 is Kiên Giang (three levels); from 1 July 2025 it is part of the"
        " two-level An Giang. Agency codes, departments of the new province, accounts and dossiers"
        " are illustrative."
    )
    if relax_2fa:
        print(
            "\nDEMO SWITCH ON: demo accounts skip the TOTP second factor (EGOV_DEMO_RELAX_2FA=0 to require it)."
        )
    else:
        print(
            "\nStaff sign in with TOTP. An account enrols its authenticator app with a one-time code:"
            " `egov otp_enrolment_code USERNAME` (same EGOV_DATA_DIR), or the staff page of a signed-in administrator."
        )
    print("Stop with Ctrl-C.\n", flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("EGOV_DEMO", "1")
    setup_django()
    # After setup_django(): settings and the apps' models need Django set up.
    from django.conf import settings

    from egov.demo.loader import DEMO_PASSWORD, load_demo

    print(f"egov demo: data in {settings.DATA_DIR}", flush=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    logins = load_demo(province_letter_code=args.province_code)
    # The demo PKI's services run first: the signed demo data needs its time-stamping authority.
    pki, animator = _start_demo_pki(args)
    _print_demo_welcome(args, logins, DEMO_PASSWORD, settings.DEMO_RELAX_2FA, pki.url)
    if args.no_serve:
        animator.terminate()
        animator.wait(timeout=10)
        return 0
    return run_processes(
        [pki.command(), gunicorn_cmd(args.host, args.port, args.workers), worker_cmd(), scheduler_cmd()],
        restart=True,
        running=[animator],
    )


def _start_demo_pki(args: argparse.Namespace) -> tuple[DemoPki, subprocess.Popen[bytes]]:
    """Generate the demo PKI (first run), serve it, point every demo process at its TSA, then
    load the demo's keys, images and signed results (egov.demo.signatures)."""
    from django.conf import settings

    from egov.accounts.models import User
    from egov.demo.signatures import load_demo_signatures, prepare_pki, start_animator

    started = time.monotonic()
    pki = prepare_pki(port=args.pki_port or args.port + 9)
    os.environ["EGOV_SIGNING_TSA_URL"] = settings.EGOV_SIGNING_TSA_URL = pki.tsa_url
    animator = start_animator(pki)
    try:
        done = load_demo_signatures(pki, by=User.objects.filter(username="admin").first())
    except BaseException:
        animator.terminate()
        raise
    print(
        f"egov demo: demo PKI ready in {time.monotonic() - started:.1f} s"
        f" ({done['keys']:.0f} new keys and images in {done['keys_seconds']} s,"
        f" {done['results']:.0f} signed one-stop results and {done['documents']:.0f} decisions"
        f" in {done['results_seconds']} s)",
        flush=True,
    )
    return pki, animator


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    commands = [gunicorn_cmd(args.host, args.port, args.workers)]
    if args.with_worker:
        commands.append(worker_cmd())
    return run_processes(commands)


def cmd_worker(args: argparse.Namespace) -> int:
    setup_django()
    manage("db_worker", "--queue-name", "*")
    return 0


def run_periodic_jobs() -> dict[str, int]:
    """One pass of the periodic jobs; safe to run in two schedulers at once (conditional updates)."""
    # After setup_django(): the services import models.
    from egov.documents.search.extract import files_extract_pending
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
        # Files whose text the worker has not extracted yet (a lost task, a worker that was down).
        "document_texts_extracted": files_extract_pending(),
        "audit_anchor_published": _publish_audit_anchor(),
        # CRLs and OCSP responses that are due, so signature checks never need the network.
        **_revocation_refresh(),
        **_signature_jobs(),
    }


def _signature_jobs() -> dict[str, int]:
    # After setup_django(): the signature services import models.
    from egov.signatures.remote import purge_expired
    from egov.signatures.services_keys import keys_expiry_warn

    return {
        # Certificates ending within 30 and 7 days: the agency's unit administrators are told once.
        "signing_keys_expiry_warned": keys_expiry_warn(),
        "device_signatures_purged": purge_expired(),
    }


def _revocation_refresh() -> dict[str, int]:
    from egov.signatures.revocation import revocation_refresh

    counts = revocation_refresh(throttle=True)
    return {f"revocation_{k}": v for k, v in counts.items()}


def _publish_audit_anchor() -> int:
    # After setup_django(): settings and the audit models need Django set up.
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
    setup_django()
    log = logging.getLogger("egov.scheduler")
    while True:
        result = run_periodic_jobs()
        log.info("periodic jobs: %s", result)
        if args.once:
            print(result)
            return 0
        time.sleep(args.interval)


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """`egov demo, serve, worker, scheduler`."""
    demo = sub.add_parser("demo", help="migrate, load the demo province, serve, print URLs and logins")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--workers", type=int, default=2)
    demo.add_argument(
        "--province-code", default="H33", help="letter code of the demo province in agency identifiers"
    )
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo database and exit")
    demo.add_argument(
        "--pki-port",
        type=int,
        default=0,
        help="port of the demo PKI's TSA, OCSP and CRLs (default: --port + 9)",
    )
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
