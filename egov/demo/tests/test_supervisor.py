"""`egov demo` restarts a crashed child instead of stopping the web server (real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHILD = "import os, sys, time; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(600)"


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _wait_for(predicate: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_child_is_restarted_and_sigterm_stops_everything(tmp_path: Path) -> None:
    web, worker = tmp_path / "web.pids", tmp_path / "worker.pids"
    script = (
        "import sys; from egov.commands.processes import run_processes; "
        f"raise SystemExit(run_processes([[sys.executable, '-c', {CHILD!r}, {str(web)!r}], "
        f"[sys.executable, '-c', {CHILD!r}, {str(worker)!r}, 'worker']], restart=True))"
    )
    supervisor = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(lambda: len(_pids(web)) == 1 and len(_pids(worker)) == 1)
        first_worker, web_pid = _pids(worker)[0], _pids(web)[0]
        os.kill(first_worker, signal.SIGKILL)  # the worker dies, as on "database is locked"
        _wait_for(lambda: len(_pids(worker)) == 2)
        assert _alive(web_pid) and _pids(web) == [web_pid]  # the web server kept running
        assert supervisor.poll() is None
        second_worker = _pids(worker)[1]
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        stderr = supervisor.stderr.read() if supervisor.stderr else ""
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    assert f"worker (pid {first_worker}) stopped with exit code -9; restarting it in 1 s" in stderr
    _wait_for(lambda: not _alive(second_worker) and not _alive(web_pid), timeout=20)


def test_without_restart_one_child_stopping_stops_all(tmp_path: Path) -> None:
    from egov.commands.processes import run_processes

    started = time.monotonic()
    code = run_processes(
        [
            [sys.executable, "-c", CHILD, str(tmp_path / "web.pids")],
            [sys.executable, "-c", "raise SystemExit(3)"],
        ]
    )
    assert code == 3
    assert time.monotonic() - started < 20  # the long-running child was stopped, not waited for
