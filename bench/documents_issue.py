"""Issuing numbers with concurrent writers (PostgreSQL; runs on SQLite too, serialised).

    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench_issue uv run python bench/documents_issue.py --writers 1,8 --per-writer 200

Each writer is a separate process with its own connection. An issue is one transaction, as in
the drafting service: the next number of the register for the year (`register_number_next`,
the counter row locked by UPDATE … RETURNING), the document row with its number, notation and
identifier, and (unless `--no-audit`) its audit row. All writers issue into the same register
(the worst case: one counter row). Afterwards the numbers must be exactly 1..n: no duplicate,
no gap. The ceiling is the same loop writing only the document row (no counter, no audit)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_env, setup_django


def _issue(register_id: int, year: int, mode: str, i: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from egov.audit.models import AuditEvent
    from egov.documents.models import Document, Register
    from egov.documents.services.common import audit, format_number, identifier_for, register_number_next

    register = Register.objects.select_related("agency").get(pk=register_id)
    with transaction.atomic():
        if mode == "ceiling":
            Document.objects.create(doc_type="CV", subject=f"Ceiling {i}", issuer_name="Bench", state="draft")
            return
        n = register_number_next(register=register, year=year)
        number, notation = format_number(n), "UBND-VP"
        today = timezone.localdate()
        document = Document.objects.create(
            doc_type="CV", number=number, sequence=n, notation=notation, issued_on=today,
            issuer_name=register.agency.name, issuer_unit=register.agency, subject=f"V/v thử nghiệm cấp số {i}",
            state="issued", register=register, register_year=year, issued_at=timezone.now(),
            identifier=identifier_for(organ_id="000.00.00.B99", issued_on=today, number=number, notation=notation),
        )  # fmt: skip
        if mode == "audit":
            audit(AuditEvent.DOCUMENT_ISSUED, by=None, target=document, scope=register.agency, number=number)


def _writer(env: dict[str, str], register_id: int, year: int, mode: str, count: int, start: Any) -> None:
    setup_django(env)
    from django.db import connection

    connection.ensure_connection()
    start.wait()
    for i in range(count):
        _issue(register_id, year, mode, i)
    connection.close()


def _run(env: dict[str, str], register_id: int, year: int, mode: str, writers: int, per_writer: int) -> float:
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    procs = [
        ctx.Process(target=_writer, args=(env, register_id, year, mode, per_writer, start))
        for _ in range(writers)
    ]
    for p in procs:
        p.start()
    time.sleep(3)  # let every writer set up Django and connect
    began = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
        if p.exitcode:
            raise SystemExit(f"a writer failed ({p.exitcode})")
    return writers * per_writer / (time.perf_counter() - began)


def _setup_register(year: int) -> int:
    from egov.documents.models import Document, Register, RegisterCounter
    from egov.orgs.models import Unit, UnitKind, UnitLevel

    unit, _ = Unit.objects.get_or_create(
        name="UBND tỉnh (benchmark cấp số)", kind=UnitKind.PEOPLES_COMMITTEE, level=UnitLevel.PROVINCE,
        defaults={"path": "/"},
    )  # fmt: skip
    if unit.path == "/":
        Unit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")
    register, _ = Register.objects.get_or_create(
        agency=unit, code="BENCH", defaults={"kind": "outgoing", "name": "Sổ đi (bench)"}
    )
    Document.objects.filter(register=register).delete()
    RegisterCounter.objects.filter(register=register).delete()
    return register.pk


def _check(register_id: int, year: int, expected: int) -> str:
    from egov.documents.models import Document

    got = sorted(
        Document.objects.filter(register_id=register_id, register_year=year).values_list(
            "sequence", flat=True
        )
    )
    if got != list(range(1, expected + 1)):
        return f"WRONG: {len(got)} numbers, {len(set(got))} distinct, max {max(got or [0])} (expected 1..{expected})"
    return f"numbers 1..{expected}: no duplicate, no gap"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", default="1,8")
    parser.add_argument("--per-writer", type=int, default=200)
    parser.add_argument("--no-audit", action="store_true")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-issue"))
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    env = bench_env(args.data_dir)
    setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    year = 2026
    print(f"issuing numbers ({connection.vendor}), {args.per_writer} per writer, one register; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for writers in [int(w) for w in args.writers.split(",")]:
        for mode in ("ceiling", "plain" if args.no_audit else "audit"):
            register_id = _setup_register(year)
            connection.close()
            rate = _run(env, register_id, year, mode, writers, args.per_writer)
            verdict = "" if mode == "ceiling" else _check(register_id, year, writers * args.per_writer)
            label = {"ceiling": "ceiling (document row only)", "audit": "issue (number + document + audit)",
                     "plain": "issue (number + document)"}[mode]  # fmt: skip
            print(f"  {writers} writer(s)  {label:<36} {rate:8.0f}/s  {verdict}", flush=True)
    prefix = "EGOV_DATABASE_URL=… " if os.environ.get("EGOV_DATABASE_URL") else ""
    print(f"  reproduce: {prefix}uv run python bench/documents_issue.py --writers {args.writers} "
          f"--per-writer {args.per_writer}{' --no-audit' if args.no_audit else ''}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
