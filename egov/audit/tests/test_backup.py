"""`egov backup` then `egov restore` into an empty database gives back the same records, the
same files (by SHA-256) and an audit chain that holds the archived anchor."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from egov.audit.services import audit_head
from egov.cli import main as egov_main
from egov.dossiers.models import DossierFile
from egov.dossiers.services import dossier_attach_file

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty scratch database on the engine the suite runs on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'egov.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"egov_restore_{os.getpid()}"
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    params |= {"password": db["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    try:
        yield f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _egov(args: list[str], *, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `egov` as an operator would: another process, pointed at the restored database."""
    env = dict(os.environ)
    env |= {
        "DJANGO_SETTINGS_MODULE": "egov.test_settings",
        "EGOV_DATABASE_URL": database_url,
        "EGOV_DATA_DIR": str(data_dir),
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "egov.cli", *args], env=env, capture_output=True, text=True, check=False
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_backup_restores_into_an_empty_database(
    audit_flushable: None, receive: Any, personas: dict[str, Any], tmp_path: Path, empty_database: str
) -> None:
    dossier = receive()
    stored = dossier_attach_file(
        dossier=dossier,
        upload=SimpleUploadedFile("giấy chứng sinh.pdf", PDF + b"% unique " + str(tmp_path).encode()),
        kind="scan",
        by=personas["officer_a1"],
    )
    head = audit_head()
    assert head is not None

    assert egov_main(["backup", "--out", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob("egov-backup-*.tar")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["audit_head"] == str(head)
    assert manifest["files"][f"media/{stored.file.name}"] == stored.sha256

    restored = tmp_path / "restored"
    done = _egov(["restore", str(archive)], database_url=empty_database, data_dir=restored)
    assert done.returncode == 0, done.stderr
    assert f"holds the archived anchor {head}" in done.stdout

    original_media = Path(settings.MEDIA_ROOT)
    for name in manifest["files"]:
        if name.startswith("media/"):
            relative = name.removeprefix("media/")
            assert _sha256(restored / "media" / relative) == _sha256(original_media / relative)
    assert _sha256(restored / "media" / stored.file.name) == stored.sha256

    verify = _egov(["audit", "verify", "--expect", str(head)], database_url=empty_database, data_dir=restored)
    assert verify.returncode == 0 and f"head {head}" in verify.stdout, verify.stdout + verify.stderr
    count = _egov(
        ["shell", "-c", "from egov.dossiers.models import DossierFile; print(DossierFile.objects.count())"],
        database_url=empty_database,
        data_dir=restored,
    )
    assert count.stdout.split()[-1] == str(DossierFile.objects.count())

    # A second restore over the now populated database is refused without --force.
    again = _egov(["restore", str(archive)], database_url=empty_database, data_dir=restored)
    assert again.returncode == 1 and "not empty" in again.stderr


def test_a_damaged_archive_is_refused_before_anything_is_touched(
    audit_flushable: None, receive: Any, personas: dict[str, Any], tmp_path: Path, empty_database: str
) -> None:
    dossier = receive()
    dossier_attach_file(
        dossier=dossier, upload=SimpleUploadedFile("scan.pdf", PDF + b"%marker%"), kind="scan", by=None
    )
    archive = tmp_path / "backup.tar"
    assert egov_main(["backup", "--out", str(archive)]) == 0
    data = bytearray(archive.read_bytes())
    at = data.find(b"%marker%")
    data[at + 1] = ord("M")
    archive.write_bytes(bytes(data))

    restored = tmp_path / "restored"
    done = _egov(["restore", str(archive)], database_url=empty_database, data_dir=restored)
    assert done.returncode == 1 and "SHA-256 does not match" in done.stderr
    assert not (restored / "media").exists() or not any((restored / "media").rglob("*.pdf"))
