"""Delete application drafts untouched for longer than EGOV_PORTAL_DRAFT_DAYS (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.portal.services import drafts_purge_expired


class Command(BaseCommand):
    help = "Delete expired application drafts and their files."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"purged {drafts_purge_expired()} expired drafts")
