"""Intake throughput: dossiers/s received through the service layer with 1, 4 and 8 concurrent
writers (separate processes, like web workers, each with its own database connection), then a
check that no code was handed out twice.

    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench_intake uv run python bench/bench_intake.py

Use an empty PostgreSQL database (SQLite serialises writers; it is measured with --writers 1)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-writer", type=int, default=150)
    parser.add_argument("--writers", default="1,4,8")
    parser.add_argument("--same-counter", action="store_true", help="all writers at one counter")
    args = parser.parse_args()
    os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-bench-"))
    os.environ.setdefault("EGOV_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefgh")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count

    from egov.accounts.models import User
    from egov.catalog.models import ProcedureVersion
    from egov.demo.loader import load_demo
    from egov.dossiers.models import Dossier
    from egov.dossiers.services import ApplicantIn, PaperIn, dossier_receive
    from egov.orgs.models import Unit

    call_command("migrate", verbosity=0)
    load_demo()
    officer = User.objects.get(username="motcua.xa")
    # Each writer is a different commune counter (agencies have their own daily sequence);
    # --same-counter makes them all queue on one counter's sequence instead.
    counters = list(
        Unit.objects.filter(kind="one_stop", level="commune", valid_to__isnull=True).order_by("pk")[:8]
    )
    # Only a counter's own one-stop officers receive there (egov.dossiers.workflow).
    from egov.accounts.services import role_grant
    from egov.dossiers.permissions import can_receive_at

    for unit in counters:
        if not can_receive_at(officer, unit):
            role_grant(user=officer, unit=unit, role="one_stop_officer", by=None)
    officer = User.objects.get(pk=officer.pk)
    version = ProcedureVersion.objects.get(procedure__code="1.001193", status="published")
    papers = [PaperIn(p.name, p.originals, p.certified_copies, p.photocopies) for p in version.papers.all()]
    applicant = ApplicantIn(kind="citizen", name="Nguyễn Văn Thử", phone="0912345678")

    def writer(unit: Unit, count: int, failures: Any) -> None:
        connections.close_all()  # a forked child opens its own connection
        try:
            for _ in range(count):
                dossier_receive(
                    unit=unit,
                    version=version,
                    channel="direct",
                    applicant=applicant,
                    papers=papers,
                    return_method="counter",
                    by=officer,
                )
        except BaseException:  # counted by the parent
            with failures.get_lock():
                failures.value += 1
        finally:
            connections.close_all()

    where = "one counter" if args.same_counter else "a different commune counter each"
    print(f"intake through dossier_receive ({connection.vendor}), {args.per_writer} per writer, {where}:")
    ctx = multiprocessing.get_context("fork")
    for n in [int(x) for x in args.writers.split(",")]:
        if connection.vendor == "sqlite" and n > 1:
            continue
        failures = ctx.Value("i", 0)
        units = [counters[0]] * n if args.same_counter else counters[:n]
        connections.close_all()
        procs = [ctx.Process(target=writer, args=(u, args.per_writer, failures)) for u in units]
        started = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - started
        total = n * args.per_writer
        print(
            f"  {n} writer(s): {total / elapsed:.0f} dossiers/s ({total} in {elapsed:.1f} s), "
            f"failed writers: {failures.value}"
        )
    dupes = Dossier.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1).count()
    print(f"  duplicate codes after the run: {dupes}")
    print(
        "  reproduce: "
        + ("EGOV_DATABASE_URL=… " if connection.vendor != "sqlite" else "")
        + f"uv run python bench/bench_intake.py --per-writer {args.per_writer} --writers {args.writers}"
        + (" --same-counter" if args.same_counter else "")
    )
    return 0 if dupes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
