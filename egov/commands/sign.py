"""``egov sign …``: check a signed PDF from the command line, list the signing keys."""

from __future__ import annotations

import argparse

from egov.commands.bootstrap import Subparsers, require_database, setup_django


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    sign = sub.add_parser("sign", help="digital signatures: check a PDF, list signing keys")
    sign_sub = sign.add_subparsers(dest="sign_command", required=True)
    verify = sign_sub.add_parser("verify", help="check every signature of FILE.pdf and print the report")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(func=run)
    keys = sign_sub.add_parser(
        "keys", help="list configured signing keys and their expiry (warns 30 days ahead)"
    )
    keys.set_defaults(func=run)
    roots = sign_sub.add_parser("roots", help="trust roots: list them, add one from a certificate file")
    roots_sub = roots.add_subparsers(dest="roots_command", required=True)
    roots_add = roots_sub.add_parser("add", help="trust the root certificate in FILE (DER or PEM)")
    roots_add.add_argument("file")
    roots_add.add_argument("--kind", choices=["official", "public", "demo", "other"], default="other")
    roots_add.add_argument("--name", default="")
    roots_sub.add_parser("list", help="list the trust roots")
    roots.set_defaults(func=run)
    revocation = sign_sub.add_parser("revocation", help="fetch the CRLs and OCSP responses that are due now")
    revocation.add_argument("--force", action="store_true", help="fetch everything, even what is still fresh")
    revocation.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    require_database()
    if args.sign_command == "verify":
        from egov.signatures.cli_verify import verify_command

        return verify_command(args)
    if args.sign_command in ("roots", "revocation"):
        from egov.signatures.cli_roots import revocation_command, roots_command

        return roots_command(args) if args.sign_command == "roots" else revocation_command(args)
    from egov.signatures.cli_keys import keys_command

    return keys_command(args)
