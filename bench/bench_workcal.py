"""Benchmark for egov.workcal.due: 100,000 deadlines with random starts and limits, 2021-2026.

Run with:  uv run python bench/bench_workcal.py [--n 100000] [--seed 2025]

Per-year tables are built once before timing (they are cached on the Calendar for
the life of the process), so the figure is the steady-state cost of one ``due``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time

from egov.workcal import Calendar, Limit, LimitUnit, due

COMMAND = "uv run python bench/bench_workcal.py"


def make_cases(n: int, seed: int) -> list[tuple[dt.datetime, Limit, dt.time | None]]:
    rng = random.Random(seed)
    first = dt.datetime(2021, 1, 1)
    span_seconds = int((dt.datetime(2026, 12, 31) - first).total_seconds())
    cases = []
    for _ in range(n):
        start = first + dt.timedelta(seconds=rng.randrange(span_seconds))
        roll = rng.random()
        if roll < 0.6:
            limit = Limit(rng.randint(1, 30), LimitUnit.WORKING_DAYS)
        elif roll < 0.85:
            limit = Limit(rng.randint(1, 120), LimitUnit.WORKING_HOURS)
        else:
            limit = Limit(rng.randint(1, 90), LimitUnit.CALENDAR_DAYS)
        cutoff = dt.time(15) if rng.random() < 0.3 else None
        cases.append((start, limit, cutoff))
    return cases


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)

    cal = Calendar()
    cases = make_cases(args.n, args.seed)
    warm = time.perf_counter()
    for start, limit, cutoff in cases[:1000]:
        due(start=start, limit=limit, cal=cal, cutoff=cutoff)
    warm = time.perf_counter() - warm

    began = time.perf_counter()
    for start, limit, cutoff in cases:
        due(start=start, limit=limit, cal=cal, cutoff=cutoff)
    seconds = time.perf_counter() - began

    print(f"egov.workcal.due: {args.n:,} deadlines (2021-2026, mixed units, 30% with cut-off)")
    print(f"  total           {seconds:.3f} s")
    print(f"  rate            {args.n / seconds:,.0f} due/s")
    print(f"  per 10,000      {seconds * 10_000 / args.n * 1000:.1f} ms")
    print(f"  warm-up (first 1,000, builds year tables) {warm * 1000:.1f} ms")
    print(f"  python {platform.python_version()} on {platform.machine()}")
    print(f"  reproduce: {COMMAND} --n {args.n} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
