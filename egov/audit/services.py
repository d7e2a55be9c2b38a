"""Writing and verifying the audit chain. Call ``audit_record`` inside the service's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditHead
from egov.core.context import current_request_context
from egov.notifications.services import notification_send

GENESIS_HASH = "0" * 64
logger = logging.getLogger("egov.audit")


def _normalise(value: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _entry_digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_repr: str,
    ip: str | None,
    request_id: str,
    event: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    scope_path: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_repr": actor_repr,
        "ip": ip,
        "request_id": request_id,
        "event": event,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "scope_path": scope_path,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-ready dict of a model's concrete fields (foreign keys as ids) for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = field.value_from_object(instance)
    return _normalise(data)  # type: ignore[no-any-return]


def audit_record(
    *,
    event: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | None = None,
    scope_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run in the same transaction as the change it records.

    Call it as the last write of that transaction: the chain's head row stays locked until
    commit, so every writer in the system queues behind whoever holds it."""
    ctx = current_request_context()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    # Everything but the link is prepared before the lock is taken.
    fields: dict[str, Any] = {
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_repr": str(actor_obj)[:200] if actor_obj else "system",
        "ip": ctx.ip if ctx else None,
        "request_id": ctx.request_id if ctx else "",
        "event": event,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_repr": str(target)[:255] if target is not None else "",
        "scope_path": scope_path,
        "before": _normalise(before),
        "after": _normalise(after),
    }
    # No savepoint of its own: a failure here must fail the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _head_lock()
        fields["seq"] = last_seq + 1
        fields["at"] = timezone.now()
        fields["prev_hash"] = last_hash
        digest = _entry_digest(**fields)
        entry = AuditEntry(hash=digest, **fields)
        entry.save(force_insert=True)
        _head_move(seq=entry.seq, digest=digest)
    return entry


def _head_lock() -> tuple[int, str]:
    """Lock the chain head until commit and read it. Plain SQL: every audited write in the
    system queues here, so the statement is kept as cheap as it can be."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    # SQLite takes its single write lock when the transaction begins; it has no FOR UPDATE.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_seq, last_hash FROM {table} WHERE id = 1{lock}")  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
        AuditHead.objects.create(id=1)  # the very first entry; a concurrent twin fails on the key
    raise RuntimeError("the audit chain head could not be created")


def _head_move(*, seq: int, digest: str) -> None:
    # The head is a plain row, updated directly so the append-only guard stays on entries.
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, digest])  # noqa: S608


@dataclass(frozen=True)
class Anchor:
    """A known point of the chain (``SEQ:HASH``) kept outside the database.

    The chain alone proves only that it is self-consistent: whoever can write the table can
    recompute every hash. An anchor copied off the machine earlier pins what entry ``seq`` was."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


class AnchorError(ValueError):
    """A text that is not ``SEQ:HASH``."""


_HEX = frozenset("0123456789abcdef")


def anchor_parse(text: str) -> Anchor:
    """Read ``SEQ:HASH`` (as printed by ``egov audit verify`` and written to anchor files)."""
    seq_text, sep, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not sep or not seq_text.strip().isdigit() or len(digest) != 64 or not set(digest) <= _HEX:
        raise AnchorError(f"not an anchor SEQ:HASH: {text.strip()[:80]!r}")
    return Anchor(int(seq_text), digest)


def anchors_read(text: str) -> list[Anchor]:
    """Anchors from an anchor file: the first word of each line; blank lines and ``#`` comments skipped."""
    anchors = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            anchors.append(anchor_parse(words[0]))
    return anchors


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head: Anchor | None = None
    anchors_checked: int = 0


def audit_head() -> Anchor | None:
    """The chain's head as the head row records it; None for an empty chain."""
    head = AuditHead.objects.filter(id=1).first()
    if head is None or head.last_seq == 0:
        return None
    return Anchor(head.last_seq, head.last_hash)


def audit_verify(*, chunk_size: int = 5000, anchors: Sequence[Anchor] = ()) -> VerifyResult:
    """Walk the chain in order and report the first entry whose link or content does not hold,
    then check that the chain still holds every anchor (an entry at its seq with its hash)."""
    expected = {anchor.seq: anchor.hash for anchor in anchors}
    if len(expected) != len({(a.seq, a.hash) for a in anchors}):
        return VerifyResult(False, 0, min(expected), "two anchors give different hashes for one entry")
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    rows = AuditEntry.objects.order_by("seq").values().iterator(chunk_size=chunk_size)
    for row in rows:
        if row["seq"] != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, row["seq"], "link to the previous entry does not match")
        recomputed = _entry_digest(
            seq=row["seq"],
            at=row["at"],
            actor_id=row["actor_id"],
            actor_repr=row["actor_repr"],
            ip=row["ip"],
            request_id=row["request_id"],
            event=row["event"],
            target_type=row["target_type"],
            target_id=row["target_id"],
            target_repr=row["target_repr"],
            scope_path=row["scope_path"],
            before=row["before"],
            after=row["after"],
            prev_hash=row["prev_hash"],
        )
        if recomputed != row["hash"]:
            return VerifyResult(False, checked, row["seq"], "content was altered after it was written")
        anchored = expected.get(row["seq"])
        if anchored is not None and anchored != row["hash"]:
            return VerifyResult(
                False, checked, row["seq"], "the entry differs from the anchor kept outside the database"
            )
        prev_hash = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked or (head is not None and head.last_hash != prev_hash):
        return VerifyResult(False, checked, checked + 1, "entries at the end of the chain were removed")
    beyond = [seq for seq in expected if seq > checked]
    if beyond:
        return VerifyResult(
            False, checked, min(beyond), f"the chain ends at #{checked}, before anchored entry #{min(beyond)}"
        )
    return VerifyResult(
        True, checked, head=Anchor(checked, prev_hash) if checked else None, anchors_checked=len(expected)
    )


# ---------------------------------------------------------------- publishing anchors

ANCHOR_FILE = "anchors.txt"


@dataclass(frozen=True)
class PublishResult:
    published: Anchor | None
    previous_holds: bool = True


def audit_anchor_publish(
    *, directory: Path, email: str = "", min_interval: dt.timedelta = dt.timedelta(0)
) -> PublishResult:
    """Append the chain's head to ``directory/anchors.txt`` (and e-mail it) when it moved.

    Before publishing, the last anchor already in the file is checked against the table (one
    indexed read, not a full walk): a rewrite since then is logged as an error at once rather
    than at the next ``egov audit verify``; the new head is still published, as evidence."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ANCHOR_FILE
    last: Anchor | None = None
    last_at: dt.datetime | None = None
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            try:
                last = anchor_parse(words[0])
            except AnchorError:
                logger.error("audit anchor file %s has a line that is not an anchor: %r", path, line[:100])
                continue
            last_at = _parse_time(words[1]) if len(words) > 1 else None
    previous_holds = True
    if last is not None:
        entry_hash = AuditEntry.objects.filter(seq=last.seq).values_list("hash", flat=True).first()
        previous_holds = entry_hash == last.hash
        if not previous_holds:
            logger.error("audit anchor %s no longer holds: the chain was rewritten or wiped", last)
    head = audit_head()
    now = timezone.now()
    if head is None or head == last:
        return PublishResult(None, previous_holds)
    if previous_holds and last_at is not None and now - last_at < min_interval:
        return PublishResult(None, previous_holds)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(f"{head} {now.astimezone(UTC).isoformat(timespec='seconds')}\n")
        anchors.flush()
        os.fsync(anchors.fileno())
    if email:
        with transaction.atomic():
            notification_send(
                kind="audit.anchor",
                subject=f"egov audit anchor {head.seq}",
                body=(
                    f"Audit chain head at {now.astimezone(UTC).isoformat(timespec='seconds')}:\n\n{head}\n\n"
                    "Keep this line. `egov audit verify --expect " + str(head) + "` fails if the chain "
                    "no longer holds this entry."
                ),
                email=email,
            )
    return PublishResult(head, previous_holds)


def _parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
