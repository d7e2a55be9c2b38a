"""``egov sign keys``: every signing key in use, where it is kept, and when its certificate
expires; keys expiring within 30 days are flagged."""

from __future__ import annotations

import argparse
import datetime as dt

from django.utils import timezone

from egov.signatures.models import SigningKey

WARN_DAYS = 30


def keys_command(args: argparse.Namespace) -> int:
    """Exit 1 when a key in use expires within 30 days or has expired, 0 otherwise."""
    now = timezone.now()
    soon = now + dt.timedelta(days=WARN_DAYS)
    status = 0
    for key in SigningKey.objects.filter(is_active=True).select_related("unit", "user"):
        owner = key.unit.name if key.unit else (key.user.get_full_name() if key.user else "")
        until = timezone.localtime(key.not_after).strftime("%d/%m/%Y") if key.not_after else "—"
        flag = ""
        if key.not_after and key.not_after <= now:
            flag, status = "  EXPIRED", 1
        elif key.not_after and key.not_after <= soon:
            flag, status = f"  expires within {WARN_DAYS} days", 1
        demo = " [demo]" if key.is_demo else ""
        print(f"{key.pk:>5}  {key.label}{demo} · {owner} · {key.get_backend_display()} · until {until}{flag}")
    return status
