"""What the benchmarks share: environment, Django set-up, synthetic data, a served egov."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefgh"  # noqa: S105 - benchmarks only


def bench_env(data_dir: str | Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmark process: its own data folder, no HTTPS on loopback, quiet logs."""
    env = {
        **os.environ,
        "EGOV_DATA_DIR": str(data_dir),
        "EGOV_SECRET_KEY": os.environ.get("EGOV_SECRET_KEY", BENCH_SECRET),
        "EGOV_HTTPS": "0",
        "EGOV_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        **extra,
    }
    env.pop("EGOV_DEMO", None)
    env.pop("EGOV_DEBUG", None)
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


END = "2026-11-02"  # the generated history ends here, so every run makes the same data


def ensure_dossiers(n: int, *, seed: int, env: dict[str, str]) -> int:
    """Generate dossiers until there are ``n`` (``egov generate`` loads the reference data and
    shows its progress bar); returns how many there are."""
    from django.core.management import call_command

    from egov.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    have = Dossier.objects.count()
    if have < n:
        started = time.perf_counter()
        command = [sys.executable, "-m", "egov.cli", "generate", "--dossiers", str(n - have)]
        command += ["--seed", str(seed), "--end", END]
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own CLI
        print(f"generated {n - have:,} dossiers in {time.perf_counter() - started:.0f} s", flush=True)
    return Dossier.objects.count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], *, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """``egov serve`` (gunicorn) on a free loopback port; returns the process and its base URL
    once /healthz answers."""
    port = free_port()
    command = [sys.executable, "-m", "egov.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603 - our own CLI
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(300):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):  # noqa: S310 - loopback
                return server, base
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"egov serve exited with {server.returncode}") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("egov serve did not answer /healthz within 30 s")
