"""Backups that restore: one tar archive with the database, the uploaded files and the audit
head anchor, each file listed with its SHA-256 in ``manifest.json`` (docs/operations.md).

Archive layout::

    database.pgdump | database.sqlite3   pg_dump custom format, or an SQLite online-backup copy
    media/<path>                         every file under MEDIA_ROOT
    manifest.json                        engine, created_at, audit_head, sha256 of every member

The head is read before the database is dumped, so the dump holds at least that entry: after a
restore, ``egov audit verify --expect HEAD`` must pass. Uploaded files are write-once (stored
under their hash), so copying them after the dump leaves none that the dump refers to behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from egov.audit.services import Anchor, VerifyResult, anchor_parse, audit_head, audit_verify

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    head: Anchor | None
    files: int


@dataclass(frozen=True)
class RestoreResult:
    head: Anchor | None
    files: int
    verify: VerifyResult


def _sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_file(path: Path) -> str:
    with path.open("rb") as stream:
        return _sha256_of(stream)


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq settings for pg_dump/pg_restore; the password goes in the environment, not argv."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH; install the PostgreSQL client tools (same major version as the server)"
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools, no shell
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            _pg_env(connection.settings_dict),
        )
    elif vendor == "sqlite":
        # The online backup API copies a consistent snapshot while the application keeps
        # writing; copying the file (and its WAL) by hand could tear a transaction.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        raise BackupError(f"unsupported database engine {vendor!r}")
    return vendor


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, "media/" + path.relative_to(root).as_posix()


def backup_create(*, out: Path) -> BackupResult:
    """Write one archive; ``out`` is the archive's path (``*.tar``) or a directory, where a dated
    name is chosen."""
    now = timezone.now()
    if out.is_dir() or out.suffix.lower() != ".tar":
        out.mkdir(parents=True, exist_ok=True)
        out = out / f"egov-backup-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}.tar"
    out.parent.mkdir(parents=True, exist_ok=True)
    head = audit_head()
    files: dict[str, str] = {}
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".egov-backup-") as scratch:
        dump = Path(scratch) / "dump"
        vendor = _dump_database(dump)
        # The archive holds personal data: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            members = [(dump, DUMPS[vendor]), *_media_files(Path(settings.MEDIA_ROOT))]
            for path, arcname in members:
                with path.open("rb") as stream:
                    files[arcname] = _sha256_of(stream)
                    stream.seek(0)
                    info = tar.gettarinfo(fileobj=stream, arcname=arcname)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    tar.addfile(info, stream)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(timespec="seconds"),
                "engine": vendor,
                "database": DUMPS[vendor],
                "audit_head": str(head) if head else None,
                "files": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(now.timestamp())
            tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(out)
    return BackupResult(out, head, len(files) - 1)


# ---------------------------------------------------------------- restore


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and name == path.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        stream = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("not an egov backup: manifest.json is missing") from None
    if stream is None:
        raise BackupError("not an egov backup: manifest.json is not a file")
    manifest: dict[str, Any] = json.loads(stream.read().decode("utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("engine") not in DUMPS:
        raise BackupError("unknown backup format")
    return manifest


def _check_members(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member is listed, safe to write and has its recorded SHA-256, before anything is touched."""
    expected: dict[str, str] = dict(manifest["files"])
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        if not member.isfile() or not _safe_member(member.name) or member.name not in expected:
            raise BackupError(f"unexpected archive member {member.name!r}; the archive was altered")
        stream = tar.extractfile(member)
        assert stream is not None  # a regular file, checked above
        if _sha256_of(stream) != expected[member.name]:
            raise BackupError(f"{member.name}: SHA-256 does not match the manifest; the archive is damaged")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the archive lacks {len(missing)} file(s) its manifest lists, e.g. {missing[0]}")


def _restore_database(tar: tarfile.TarFile, manifest: dict[str, Any], *, force: bool) -> None:
    if connection.vendor != manifest["engine"]:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; EGOV_DATABASE_URL points to {connection.vendor}"
        )
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables); restore into an empty one, or use --force to replace it"
        )
    stream = tar.extractfile(manifest["database"])
    assert stream is not None
    with tempfile.TemporaryDirectory(prefix="egov-restore-") as scratch:
        dump = Path(scratch) / manifest["database"]
        with dump.open("wb") as target:
            shutil.copyfileobj(stream, target, _CHUNK)
        if connection.vendor == "postgresql":
            connection.close()
            command = [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ]
            if force and tables:
                command += ["--clean", "--if-exists"]
            _run(
                [*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)],
                _pg_env(connection.settings_dict),
            )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
    connection.close()


def _restore_media(tar: tarfile.TarFile, manifest: dict[str, Any], *, media_root: Path, force: bool) -> int:
    files = {name: sha for name, sha in manifest["files"].items() if name.startswith("media/")}
    targets = {name: media_root / PurePosixPath(name).relative_to("media") for name in files}
    clashes = [
        name
        for name, path in targets.items()
        if path.exists() and (not path.is_file() or _sha256_file(path) != files[name])
    ]
    if clashes and not force:
        raise BackupError(
            f"{len(clashes)} file(s) under {media_root} differ from the backup, e.g. {clashes[0]}; use --force to replace them"
        )
    for name, path in targets.items():
        stream = tar.extractfile(name)
        assert stream is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".restoring")
        with partial.open("wb") as target:
            shutil.copyfileobj(stream, target, _CHUNK)
        partial.replace(path)
        if _sha256_file(path) != files[name]:
            raise BackupError(f"{path}: SHA-256 after writing does not match the manifest (disk problem?)")
    return len(targets)


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Restore database and files from ``archive``, then verify the audit chain against its anchor.

    The archive is checked in full (every SHA-256) before the database or a file is touched."""
    try:
        tar = tarfile.open(archive, mode="r:*")  # noqa: SIM115 - closed by the `with tar` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read {archive}: {exc}") from None
    with tar:
        manifest = _read_manifest(tar)
        _check_members(tar, manifest)
        head = anchor_parse(manifest["audit_head"]) if manifest.get("audit_head") else None
        _restore_database(tar, manifest, force=force)
        files = _restore_media(tar, manifest, media_root=Path(settings.MEDIA_ROOT), force=force)
    result = audit_verify(anchors=[head] if head else [])
    return RestoreResult(head, files, result)
