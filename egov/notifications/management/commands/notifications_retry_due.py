"""`egov notifications_retry_due`: the periodic sweep, for cron or a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.notifications.services import deliveries_retry_due


class Command(BaseCommand):
    help = "Queue again the notification deliveries whose next attempt is overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="at most this many (default: 500)")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        queued = deliveries_retry_due(limit=limit)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{queued} deliveries queued")
