"""`egov otp_enrolment_code USERNAME`: a two-factor enrolment code from the command line.

For the first system administrator (nobody can issue one for them on a page yet) and for an
administrator who lost their own phone. Audited like a code issued on the staff page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.accounts import services
from egov.accounts.models import User


class Command(BaseCommand):
    help = "Issue a one-time code with which a staff account enrols (or replaces) its authenticator app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no account {options['username']!r}")
        try:
            code = services.otp_enrolment_code_issue(user=user, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        hours = int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(f"enrolment code for {user.username}: {code}  (works once, for {hours} hours)")
