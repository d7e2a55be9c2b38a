"""Fail when a user-facing string is missing from, or fuzzy in, the Vietnamese catalogue.

Runs ``makemessages`` on a temporary copy of the package, so the committed catalogue is never
touched, then lists every msgid whose translation is empty or marked fuzzy (obsolete ones are
dropped by ``--no-obsolete``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

PO_PATH = Path("locale") / "vi" / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    text = line.strip()
    text = text[text.index('"') + 1 : text.rindex('"')]
    # Enough unescaping to show the msgid and tell empty from non-empty.
    return text.replace('\\"', '"').replace("\\n", "\n")


def untranslated(po_text: str) -> list[tuple[str, str]]:
    """(msgid, why) for every live entry with an empty translation or a fuzzy flag."""
    problems: list[tuple[str, str]] = []
    for block in po_text.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#~")]
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        fields: dict[str, str] = {}
        current = ""
        for ln in lines:
            if ln.startswith("#"):
                continue
            if ln.startswith('"'):
                if current:
                    fields[current] += _unquote(ln)
                continue
            key = ln.split(" ", 1)[0]
            current = key
            fields[key] = _unquote(ln)
        msgid = fields.get("msgid")
        if not msgid:  # the header, or no entry at all
            continue
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        if fuzzy:
            problems.append((msgid, "fuzzy"))
        elif not translations or any(not t for t in translations):
            problems.append((msgid, "untranslated"))
    return problems


class Command(BaseCommand):
    help = "Fail if makemessages finds a string missing from or fuzzy in the Vietnamese catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep", action="store_true", help="Keep the temporary copy and print its path.")

    def handle(self, *args: Any, **options: Any) -> None:
        package = Path(settings.BASE_DIR)
        tmp = Path(tempfile.mkdtemp(prefix="egov-i18n-"))
        try:
            copy = tmp / package.name
            shutil.copytree(
                package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "media")
            )
            # Importing the copy (PYTHONPATH first) makes its settings' LOCALE_PATHS point into it.
            env = {**os.environ, "PYTHONPATH": str(tmp), "DJANGO_SETTINGS_MODULE": "egov.settings"}
            env.setdefault("EGOV_DEBUG", "1")
            result = subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"],
                cwd=copy,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"makemessages failed:\n{result.stdout}{result.stderr}")
            problems = untranslated((copy / PO_PATH).read_text(encoding="utf-8"))
        finally:
            if options["keep"]:
                self.stdout.write(str(tmp))
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        if problems:
            for msgid, why in problems:
                self.stderr.write(f"{why}: {msgid!r}")
            raise CommandError(
                f"{len(problems)} string(s) missing or fuzzy in {PO_PATH}; run makemessages and translate them."
            )
        self.stdout.write("Every user-facing string has a Vietnamese translation.")
