"""Reading settings from the environment: every bad value fails loudly with the variable's name."""

from __future__ import annotations

import os
from pathlib import Path


class ImproperEnvironment(Exception):
    """A setting in the environment has a value egov cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperEnvironment(name, f"expected true/false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperEnvironment(name, f"expected an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperEnvironment(name, f"must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: str) -> Path:
    raw = os.environ.get(name, default)
    if not raw.strip():
        raise ImproperEnvironment(name, "must not be empty")
    return Path(raw).expanduser().resolve()


def database_config(name: str, data_dir: Path) -> dict[str, object]:
    """Parse a database URL; the default is SQLite under the data directory."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "egov.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the single writer; IMMEDIATE avoids
                # deadlocks when two transactions upgrade from read to write.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            },
        }
    try:
        config = dict(dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True))
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperEnvironment(name, f"not a usable database URL ({exc})") from None
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperEnvironment(name, f"unsupported engine {engine!r}; use postgres:// or sqlite://")
    if engine == "django.db.backends.sqlite3":
        config.pop("CONN_MAX_AGE", None)
    return config
