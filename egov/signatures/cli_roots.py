"""``egov sign roots add FILE --kind … --name …``, ``egov sign roots list`` and
``egov sign revocation``: the operator's commands for trust roots and revocation data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils import timezone

from egov.signatures.errors import SignatureError
from egov.signatures.models import RevocationData
from egov.signatures.selectors import trust_roots_list


def roots_command(args: argparse.Namespace) -> int:
    if args.roots_command == "add":
        from egov.signatures.services_roots import trust_root_upload

        path = Path(args.file)
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        try:
            root = trust_root_upload(certificate=path.read_bytes(), name=args.name, kind=args.kind, by=None)
        except SignatureError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
        print(f"trusted: {root.name} · {root.sha256}")
        return 0
    for root in trust_roots_list():
        until = timezone.localtime(root.not_after).strftime("%d/%m/%Y")
        state = "trusted" if root.is_active else "retired"
        print(f"{root.pk:>4}  {state:8} {root.kind:8} {root.name} · until {until} · {root.sha256[:16]}…")
    return 0


def revocation_command(args: argparse.Namespace) -> int:
    """Fetch due CRLs and OCSP responses now; exit 1 when a fetch failed."""
    from egov.signatures.revocation import revocation_refresh

    counts = revocation_refresh(force=args.force)
    print(" · ".join(f"{k} {v}" for k, v in counts.items()))
    for row in RevocationData.objects.exclude(error=""):
        print(f"  ! {row.url}: {row.error}")
    return 1 if counts.get("failed") else 0
