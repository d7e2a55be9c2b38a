"""What every sub-command needs first: Django set up, the database present and migrated."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

Subparsers = argparse._SubParsersAction  # the type argparse gives add_subparsers()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    # Imported here, not at the top: `egov --help` stays fast without loading Django.
    import django

    from egov.core.env import ImproperEnvironment

    try:
        django.setup()
    except ImproperEnvironment as exc:
        print(f"egov: invalid setting {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def require_database() -> None:
    """Stop with one line saying what to run when the database is missing or not migrated
    (instead of a traceback from the first query)."""
    # After setup_django(): settings and the connection only exist once Django is set up.
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    database = settings.DATABASES["default"]
    hint = "run `uv run egov demo` (demo data) or `uv run egov migrate` (an empty database)"
    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()  # type: ignore[attr-defined]
        and not Path(str(database["NAME"])).is_file()
    ):
        print(f"egov: no database at {database['NAME']}; {hint}", file=sys.stderr)
        raise SystemExit(2)
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        print(f"egov: cannot use the database ({str(exc).strip().splitlines()[0]})", file=sys.stderr)
        raise SystemExit(2) from None
    if pending:
        print(f"egov: the database is not migrated ({len(pending)} pending); {hint}", file=sys.stderr)
        raise SystemExit(2)


def manage(*args: str) -> None:
    """Run a Django management command (after setup_django())."""
    from django.core.management import call_command

    call_command(*args)
