"""Form II.06a at provincial scale: the whole province for a year and one commune for a month.

    uv run python bench/bench_ii06a.py --dossiers 2000000                     # SQLite in var/bench
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench uv run python bench/bench_ii06a.py --dossiers 2000000

Fills the database with `egov generate` (once; later runs reuse it: COPY on PostgreSQL,
executemany on SQLite), then times egov.reports.ii06a next to an equivalent hand-written SQL
query (the engine's own limit). Use an empty PostgreSQL database the first time."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_env, ensure_dossiers, setup_django

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    env = bench_env(args.data_dir)
    setup_django(env)
    from django.db import connection

    from egov.dossiers.models import Dossier
    from egov.orgs.models import Unit
    from egov.reports.ii06a import ii06a
    from egov.reports.periods import Period

    ensure_dossiers(args.dossiers, seed=args.seed, env=env)
    table = Dossier._meta.db_table
    province = Unit.objects.get(kind="province", valid_to__isnull=True)
    commune = Unit.objects.filter(kind="commune", valid_to__isnull=True).order_by("gso_code").first()

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times) * 1000

    year = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    month = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    report = ii06a(unit=province, period=year)
    t_year = best(lambda: ii06a(unit=province, period=year))
    t_month = best(lambda: ii06a(unit=commune, period=month))
    unit_ids = ",".join(
        str(pk) for pk in Unit.objects.filter(path__startswith=province.path).values_list("pk", flat=True)
    )
    raw = (
        f"SELECT f.name, SUM(CASE WHEN d.received_at >= %s AND d.channel = 'online' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN d.resolved_at >= %s AND d.resolved_at < %s AND d.timeliness = 'late' THEN 1 ELSE 0 END), "
        f"COUNT(*) FROM {table} d "
        f"JOIN catalog_procedureversion v ON v.id = d.procedure_version_id JOIN catalog_field f ON f.id = v.field_id "
        f"WHERE d.resolving_unit_id IN ({unit_ids}) AND d.received_at < %s AND d.state NOT IN ('registered', 'refused') "
        f"AND (d.resolved_at IS NULL OR d.resolved_at >= %s) AND (d.terminated_at IS NULL OR d.terminated_at >= %s) "
        f"GROUP BY f.name"
    )
    start = dt.datetime(2025, 1, 1, tzinfo=VN)
    end = dt.datetime(2026, 1, 1, tzinfo=VN)

    def handwritten() -> None:
        with connection.cursor() as cursor:
            cursor.execute(raw, [start, start, end, end, start, start])
            cursor.fetchall()

    t_raw = best(handwritten)
    total = Dossier.objects.count()
    print(f"II.06a on {total:,} dossiers ({connection.vendor}), best of {args.repeat}:")
    print(f"  province, year 2025: {t_year:.0f} ms  (received total {report.totals['received_total']:,})")
    print(f"  one commune, March 2025: {t_month:.1f} ms")
    print(f"  hand-written SQL, province year: {t_raw:.0f} ms  (ratio {t_year / t_raw:.2f}x)")
    print(
        "  reproduce: "
        + ("EGOV_DATABASE_URL=… " if connection.vendor != "sqlite" else "")
        + f"uv run python bench/bench_ii06a.py --dossiers {args.dossiers} --seed {args.seed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
