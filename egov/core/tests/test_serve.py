"""`egov serve` starts the production WSGI server that answers health checks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_healthz_and_readyz(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EGOV_", "DJANGO_"))}
    env.update({"EGOV_DATA_DIR": str(tmp_path), "EGOV_SECRET_KEY": "s" * 40, "EGOV_HTTPS": "0"})
    subprocess.run(
        [sys.executable, "-m", "egov.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "egov.cli", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = b""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
                    body = resp.read()
                break
            except OSError:
                time.sleep(0.2)
        assert b'"status": "ok"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            assert resp.headers["X-Request-ID"]
        # SIGTERM to `egov serve` (what a supervisor sends) stops gunicorn too: the port closes.
        server.terminate()
        assert server.wait(timeout=20) == 0
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=20)
