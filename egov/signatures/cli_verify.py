"""``egov sign verify FILE.pdf``: the same report the document page and the public check show."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.signatures.models import Verdict
from egov.signatures.selectors import badge_view, signature_public
from egov.signatures.validation import validate_pdf


def verdict_label(verdict: str) -> str:
    """The badge's words for a verdict (the same as on the pages)."""
    return {
        Verdict.VALID: _("Signature valid"),
        Verdict.INVALID: _("Signature not valid"),
        Verdict.UNKNOWN: _("Cannot be confirmed yet"),
        Verdict.UNSIGNED: _("No digital signature"),
        Verdict.PENDING: _("Being checked"),
    }.get(Verdict(verdict), _("Not a readable PDF"))


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if value else "—"  # type: ignore[arg-type]


def verify_command(args: argparse.Namespace) -> int:
    """Exit 0 when every signature is valid, 1 otherwise, 2 when the file is missing."""
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    result = validate_pdf(path.read_bytes())
    signatures = [signature_public(s) for s in result.as_json()]
    if args.json:
        report = {"verdict": result.verdict, "summary": result.summary, "signatures": signatures}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        view = badge_view(result.verdict, result.summary, signatures)
        print(f"{path}: {verdict_label(result.verdict)} — {result.summary}")
        for number, sig in enumerate(view["signatures"], start=1):
            print(
                f"  {number}. {sig['signer'] or '—'} ({sig['organization'] or '—'}) · {verdict_label(sig['verdict'])}"
            )
            print(
                f"     {_('Signing time')}: {_when(sig['signing_time'])} · {_('Timestamp')}: {_when(sig['timestamp_time'])}"
            )
            print(
                f"     {_('Certificate issued by')}: {sig['certificate_issuer']} · {_('Serial number')}: "
                f"{sig['certificate_serial']} · {_('Certificate valid until')}: {_when(sig['certificate_not_after'])}"
            )
            for reason in sig["reasons"] or []:
                print(f"     ! {reason}")
    return 0 if result.verdict == Verdict.VALID else 1
