from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from egov.core.env import ImproperEnvironment, database_config, env_bool, env_int, env_limits

ROOT = Path(__file__).resolve().parents[3]


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_DEBUG", "maybe")
    with pytest.raises(ImproperEnvironment, match="EGOV_DEBUG"):
        env_bool("EGOV_DEBUG", False)


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_LOGIN_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperEnvironment, match="EGOV_LOGIN_FAILURE_LIMIT"):
        env_int("EGOV_LOGIN_FAILURE_LIMIT", 5, minimum=1)


def test_database_url_must_be_a_supported_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EGOV_DATABASE_URL", "mysql://root@localhost/egov")
    with pytest.raises(ImproperEnvironment, match="EGOV_DATABASE_URL"):
        database_config("EGOV_DATABASE_URL", tmp_path)
    monkeypatch.setenv("EGOV_DATABASE_URL", "postgres://egov@db:5432/egov")
    assert database_config("EGOV_DATABASE_URL", tmp_path)["NAME"] == "egov"
    monkeypatch.delenv("EGOV_DATABASE_URL")
    assert database_config("EGOV_DATABASE_URL", tmp_path)["NAME"] == str(tmp_path / "egov.sqlite3")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"EGOV_DEBUG": "maybe"}, "EGOV_DEBUG"),
        # Production (a database URL) still needs the key; the local SQLite file has its own.
        ({"EGOV_SECRET_KEY": "", "EGOV_DATABASE_URL": "postgres://egov@db:5432/egov"}, "EGOV_SECRET_KEY"),
        ({"EGOV_SECRET_KEY": "short"}, "EGOV_SECRET_KEY"),
        ({"EGOV_LOG_LEVEL": "LOUD"}, "EGOV_LOG_LEVEL"),
    ],
)
def test_egov_command_fails_with_one_line(env: dict[str, str], variable: str, tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EGOV_", "DJANGO_"))}
    clean.update({"EGOV_DATA_DIR": str(tmp_path), "EGOV_SECRET_KEY": "x" * 40, **env})
    result = subprocess.run(
        [sys.executable, "-m", "egov.cli", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert variable in result.stderr


def test_rate_limits_change_one_scope_and_name_the_variable_on_bad_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = {"lookup": (30, 10, 600), "signup": (10, 3, 3600)}
    monkeypatch.setenv("EGOV_RATE_LIMITS", " lookup=300/20/60 ")
    assert env_limits("EGOV_RATE_LIMITS", defaults) == {"lookup": (300, 20, 60), "signup": (10, 3, 3600)}
    for bad, problem in [
        ("lookups=1/1/1", "unknown scope 'lookups'"),
        ("lookup=300/20", "expected lookup=<per IP>/<per identifier>/<seconds>"),
        ("lookup=0/1/60", "at least 1"),
    ]:
        monkeypatch.setenv("EGOV_RATE_LIMITS", bad)
        with pytest.raises(ImproperEnvironment, match="EGOV_RATE_LIMITS") as error:
            env_limits("EGOV_RATE_LIMITS", defaults)
        assert problem in str(error.value)


def test_a_sqlite_url_gets_the_same_pragmas_as_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EGOV_DATABASE_URL", f"sqlite:///{tmp_path}/bench.sqlite3")
    config = database_config("EGOV_DATABASE_URL", tmp_path)
    assert config["NAME"] == f"{tmp_path}/bench.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]  # type: ignore[index]
