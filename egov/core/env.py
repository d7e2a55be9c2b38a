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


def env_limits(name: str, default: dict[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int]]:
    """Rate limits ``scope=per_ip/per_identifier/seconds,...`` over the defaults (unnamed scopes
    keep theirs), e.g. ``lookup=300/10/600`` for a commune office whose citizens share one IP."""
    raw = os.environ.get(name, "").strip()
    limits = dict(default)
    for item in filter(None, (part.strip() for part in raw.split(","))):
        scope, _sep, numbers = item.partition("=")
        scope = scope.strip()
        if scope not in default:
            raise ImproperEnvironment(name, f"unknown scope {scope!r}; known: {', '.join(sorted(default))}")
        try:
            per_ip, per_identifier, window = (int(n) for n in numbers.split("/"))
        except ValueError:
            raise ImproperEnvironment(
                name, f"expected {scope}=<per IP>/<per identifier>/<seconds>, got {item!r}"
            ) from None
        if min(per_ip, per_identifier, window) < 1:
            raise ImproperEnvironment(name, f"limits and window must be at least 1, got {item!r}")
        limits[scope] = (per_ip, per_identifier, window)
    return limits


def env_path(name: str, default: str) -> Path:
    raw = os.environ.get(name, default)
    if not raw.strip():
        raise ImproperEnvironment(name, "must not be empty")
    return Path(raw).expanduser().resolve()


SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def local_secret_key(data_dir: Path) -> str:
    """The secret key of a local installation: generated once into the data folder, readable by
    its owner only, so that commands run against the local SQLite database (the demo, `egov
    report`, `egov workcal`) need no EGOV_SECRET_KEY and agree on the key that signs and keys
    hashes stored in that database."""
    import secrets

    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ImproperEnvironment("EGOV_SECRET_KEY", f"{path} holds no usable key; delete it") from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def uses_local_database(name: str) -> bool:
    """No database URL: the SQLite file in the data folder."""
    return not os.environ.get(name, "").strip()


SQLITE_OPTIONS = {
    # WAL lets readers run beside the single writer; IMMEDIATE avoids
    # deadlocks when two transactions upgrade from read to write. A writer waits up to 20 s for
    # the lock (the web server, the worker and the scheduler share one file) before "database
    # is locked"; every process opens its connections with these options.
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}


def database_config(name: str, data_dir: Path) -> dict[str, object]:
    """Parse a database URL; the default is SQLite under the data directory."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "egov.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
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
        config.pop("CONN_HEALTH_CHECKS", None)
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    return config
