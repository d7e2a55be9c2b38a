"""``egov sign verify FILE.pdf``: the same report the document page and the public check show."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from egov.signatures.models import Verdict
from egov.signatures.validation import validate_pdf


def verify_command(args: argparse.Namespace) -> int:
    """Exit 0 when every signature is valid, 1 otherwise."""
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    result = validate_pdf(path.read_bytes())
    if args.json:
        print(
            json.dumps(
                {"verdict": result.verdict, "summary": result.summary, "signatures": result.as_json()},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"{path}: {Verdict(result.verdict).label} — {result.summary}")
        for number, sig in enumerate(result.signatures, start=1):
            print(f"  {number}. {sig.signer} ({sig.organization}) · {Verdict(sig.verdict).label}")
            print(f"     signed {sig.signing_time or '—'} · timestamp {sig.timestamp_time or '—'}")
            print(f"     certificate {sig.certificate_serial} from {sig.certificate_issuer}")
            for reason in sig.reasons:
                print(f"     ! {reason}")
    return 0 if result.verdict == Verdict.VALID else 1
