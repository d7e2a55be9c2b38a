"""Writing and verifying the audit chain. Call ``audit_record`` inside the service's transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from egov.audit.models import AuditEntry, AuditHead
from egov.core.context import current_request_context

GENESIS_HASH = "0" * 64


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
    actor: Any = None,
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
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Walk the chain in order and report the first entry whose link or content does not hold."""
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
        prev_hash = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked or (head is not None and head.last_hash != prev_hash):
        return VerifyResult(False, checked, checked + 1, "entries at the end of the chain were removed")
    return VerifyResult(True, checked)
