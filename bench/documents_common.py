"""What the document benchmarks share: set-up on either engine and generated documents."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import END, ROOT, bench_env, setup_django


def setup(data_dir: str) -> dict[str, str]:
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    env = bench_env(data_dir)
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def ensure_documents(n: int, *, seed: int, env: dict[str, str]) -> int:
    """Generate documents until there are ``n`` (``egov generate --documents``); returns how many."""
    from egov.documents.models import Document

    have = Document.objects.count()
    if have < n:
        started = time.perf_counter()
        command = [sys.executable, "-m", "egov.cli", "generate", "--documents", str(n - have)]
        command += ["--seed", str(seed), "--end", END]
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own CLI
        print(f"generated {n - have:,} documents in {time.perf_counter() - started:.0f} s", flush=True)
    return Document.objects.count()


def percentiles(timings_ms: list[float]) -> dict[str, float]:
    ordered = sorted(timings_ms)
    return {
        "p50": statistics.median(ordered),
        "p99": ordered[max(0, int(len(ordered) * 0.99) - 1)],
        "max": ordered[-1],
    }


def engine() -> str:
    from django.db import connection

    return connection.vendor


def reproduce(script: str, args: str) -> str:
    prefix = "EGOV_DATABASE_URL=… " if os.environ.get("EGOV_DATABASE_URL") else ""
    return f"{prefix}uv run python bench/{script} {args}"
