"""The README's local commands work in a fresh data folder without extra settings (subprocesses)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _egov(*args: str, data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EGOV_", "DJANGO_"))}
    clean.update({"EGOV_DATA_DIR": str(data), **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "egov.cli", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=180,
    )


COMMANDS = [
    ("workcal", "due", "--start", "2025-01-24T10:00", "--days", "5"),
    ("report", "ii06a", "--unit", "91", "--from", "2021-01-01", "--to", "2021-12-31"),
    ("catalog", "export", "catalog.zip"),
]


@pytest.mark.parametrize("command", COMMANDS)
def test_no_database_is_one_line_saying_what_to_run(command: tuple[str, ...], tmp_path: Path) -> None:
    result = _egov(*command, data=tmp_path)
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert message.splitlines() == [message]
    assert "no database" in message and "uv run egov demo" in message and "uv run egov migrate" in message


def test_unmigrated_database_is_one_line_saying_what_to_run(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "egov.sqlite3").close()  # the file exists, no tables
    result = _egov(*COMMANDS[1], data=tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert message.splitlines() == [message]
    assert "not migrated" in message and "uv run egov migrate" in message


def test_local_commands_need_no_secret_key_and_share_one_kept_in_the_data_folder(tmp_path: Path) -> None:
    migrated = _egov("migrate", "--no-input", "--verbosity", "0", data=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    secret = tmp_path / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    key = secret.read_text()
    assert len(key.strip()) >= 32

    due = _egov(*COMMANDS[0], data=tmp_path)
    assert due.returncode == 0, due.stderr
    assert "2025" in due.stdout
    export = _egov("catalog", "export", str(tmp_path / "catalog.zip"), data=tmp_path)
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "catalog.zip").is_file()
    assert secret.read_text() == key  # generated once, then reused


def test_production_database_still_requires_the_secret_key(tmp_path: Path) -> None:
    result = _egov(*COMMANDS[0], data=tmp_path, EGOV_DATABASE_URL="postgres://egov@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "EGOV_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()
