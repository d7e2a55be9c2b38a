"""`egov audit verify, audit anchor, backup, restore`: the audit trail and the archives that carry it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from egov.commands.bootstrap import Subparsers, require_database, setup_django


def _audit_anchor(args: argparse.Namespace) -> int:
    # After setup_django(): settings and the audit models need Django set up.
    from django.conf import settings

    from egov.audit.services import audit_anchor_publish

    directory = Path(args.dir) if args.dir else settings.EGOV_AUDIT_ANCHOR_DIR
    published = audit_anchor_publish(directory=directory, email=settings.EGOV_AUDIT_ANCHOR_EMAIL)
    if not published.previous_holds:
        print("audit anchor: the last anchor in the file no longer holds; run `egov audit verify`")
    print(f"audit anchor: {published.published or 'unchanged'} ({directory})")
    return 0 if published.previous_holds else 1


def cmd_audit(args: argparse.Namespace) -> int:
    setup_django()
    require_database()
    if args.audit_command == "anchor":
        return _audit_anchor(args)
    # After setup_django(), as above.
    from egov.audit.services import AnchorError, anchor_parse, anchors_read, audit_verify

    try:
        anchors = [anchor_parse(text) for text in args.expect]
        for name in args.anchors:
            anchors += anchors_read(Path(name).read_text(encoding="utf-8"))
    except (AnchorError, OSError) as exc:
        print(f"egov audit verify: {exc}", file=sys.stderr)
        return 2
    result = audit_verify(anchors=anchors)
    if result.ok:
        head = f"head {result.head}" if result.head else "empty chain"
        against = f", {result.anchors_checked} anchor(s) hold" if anchors else ""
        print(f"audit chain OK: {result.checked} entries verified{against}; {head}")
        return 0
    print(
        f"audit chain BROKEN at entry #{result.broken_seq}: {result.reason} ({result.checked} entries verified before it)"
    )
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    setup_django()
    require_database()
    # After setup_django(): the backup reads settings and the audit models.
    from egov.audit.backup import BackupError, backup_create

    try:
        result = backup_create(out=Path(args.out))
    except BackupError as exc:
        print(f"egov backup: {exc}", file=sys.stderr)
        return 1
    head = f"audit head {result.head}" if result.head else "empty audit chain"
    print(f"backup written to {result.path}: database, {result.files} uploaded file(s), {head}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    setup_django()
    # After setup_django(), as above.
    from egov.audit.backup import BackupError, backup_restore

    try:
        result = backup_restore(archive=Path(args.archive), force=args.force)
    except BackupError as exc:
        print(f"egov restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored the database and {result.files} uploaded file(s); every SHA-256 matches")
    if not result.verify.ok:
        print(
            f"audit chain BROKEN at entry #{result.verify.broken_seq}: {result.verify.reason}",
            file=sys.stderr,
        )
        return 1
    anchor = f"holds the archived anchor {result.head}" if result.head else "is empty, as archived"
    print(f"audit chain OK: {result.verify.checked} entries verified; it {anchor}")
    return 0


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    """`egov audit verify, audit anchor, backup, restore`."""
    audit = sub.add_parser("audit", help="audit trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser(
        "verify", help="check the hash chain and known anchors; print the head (SEQ:HASH)"
    )
    verify.add_argument(
        "--expect", action="append", default=[], metavar="SEQ:HASH", help="an anchor the chain must hold"
    )
    verify.add_argument(
        "--anchors",
        action="append",
        default=[],
        metavar="FILE",
        help="a file of anchors, one SEQ:HASH a line",
    )
    verify.set_defaults(func=cmd_audit)
    anchor = audit_sub.add_parser(
        "anchor", help="append the chain head to the anchor file now (and e-mail it)"
    )
    anchor.add_argument("--dir", help="anchor directory (default EGOV_AUDIT_ANCHOR_DIR)")
    anchor.set_defaults(func=cmd_audit)

    backup = sub.add_parser("backup", help="one archive: database, uploaded files, audit head anchor")
    backup.add_argument("--out", required=True, help="directory (a dated name is chosen) or FILE.tar")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore an `egov backup` archive into an empty database")
    restore.add_argument("archive")
    restore.add_argument(
        "--force", action="store_true", help="replace a non-empty database and differing uploaded files"
    )
    restore.set_defaults(func=cmd_restore)
