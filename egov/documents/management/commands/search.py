"""`egov search reindex [--ids 1,2,3]` and `egov search extract`: keep the document search index.

``reindex`` rebuilds the rows of the given documents (all when no ids are given) from the
documents, their entries, assignments, reviews, access grants and file text: run it after a
restore, after bulk changes made outside the services, or to repair a failed after-commit
indexing. ``extract`` runs one pass of text extraction over files still waiting for it (the
worker does the same as files arrive)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.documents.search import search_reindex
from egov.documents.search.extract import files_extract_pending


class Command(BaseCommand):
    help = "Rebuild the document search index (reindex) or extract pending file text (extract)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex", "extract"])
        parser.add_argument("--ids", default="", help="comma-separated document ids (reindex; default: all)")
        parser.add_argument("--limit", type=int, default=200, help="files per pass (extract)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["action"] == "extract":
            n = files_extract_pending(limit=options["limit"])
            self.stdout.write(f"text extracted from {n} file(s)")
            return
        try:
            ids = [int(x) for x in options["ids"].split(",") if x.strip()] or None
        except ValueError:
            raise CommandError("--ids takes document ids separated by commas") from None
        n = search_reindex(ids=ids)
        self.stdout.write(f"{n:,} document(s) indexed in {time.perf_counter() - started:.1f} s")
