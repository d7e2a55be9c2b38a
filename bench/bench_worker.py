"""Receipt PDF render time, and the memory (RSS) of one web worker after 10,000 requests.

    uv run python bench/bench_worker.py                 # SQLite demo database in a temp folder

Starts `egov serve` (gunicorn, 1 worker) on a free loopback port against a demo database, sends
a bounded mix of public requests (catalogue search, procedure pages, health) from 4 client
threads, then reads the worker's VmRSS from /proc."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=20)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="egov-bench-")
    env = {
        **os.environ,
        "EGOV_DATA_DIR": data_dir,
        "EGOV_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefgh",
        "EGOV_HTTPS": "0",
        "EGOV_LOG_LEVEL": "WARNING",
    }
    env.pop("EGOV_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "egov.cli", "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    os.environ.update({k: v for k, v in env.items() if k.startswith("EGOV_")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from egov.dossiers.models import Dossier
    from egov.dossiers.pdf import html_to_pdf, render_form_html

    dossier = Dossier.objects.exclude(received_at=None).exclude(state="refused").first()
    assert dossier is not None
    html_to_pdf(render_form_html(dossier, "01"))  # warm-up: fonts are loaded once per process
    times = []
    for _ in range(args.pdfs):
        t0 = time.perf_counter()
        html_to_pdf(render_form_html(dossier, "01"))
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"receipt (form 01) PDF render: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
        f"over {args.pdfs}"
    )

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "egov.cli", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        paths = [
            "/thu-tuc/?q=dang+ky+khai+sinh",
            "/thu-tuc/1.001193/",
            "/thu-tuc/?q=chung+thuc",
            "/healthz",
            "/thu-tuc/2.000815/",
            "/thu-tuc/?level=district&page=2",
        ]
        counter = iter(range(args.requests))
        lock = threading.Lock()
        failures = [0]

        def client() -> None:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                try:
                    urllib.request.urlopen(base + paths[i % len(paths)], timeout=10).read()  # noqa: S310
                except OSError:
                    failures[0] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        # egov serve → gunicorn master → worker: the worker is the deepest descendant.
        pid = server.pid
        while True:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if not children:
                break
            pid = int(children[0])
        rss = _rss_kb(pid) / 1024
        print(
            f"web worker RSS after {args.requests:,} requests: {rss:.0f} MB "
            f"({args.requests / elapsed:.0f} req/s over the mix, {failures[0]} failures)"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"  reproduce: uv run python bench/bench_worker.py --requests {args.requests} --pdfs {args.pdfs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
