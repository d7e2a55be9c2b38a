"""An insider who can write the audit table can recompute the chain; anchors kept outside the
database catch it (issue #12, item 9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from egov.audit.models import AuditEntry, AuditEvent
from egov.audit.services import (
    Anchor,
    _entry_digest,
    anchor_parse,
    anchors_read,
    audit_anchor_publish,
    audit_head,
    audit_record,
    audit_verify,
)
from egov.audit.tests.test_chain import _drop_guard_triggers
from egov.cli import main as egov_main
from egov.notifications.models import Notification

pytestmark = pytest.mark.django_db

FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_repr",
    "ip",
    "request_id",
    "event",
    "target_type",
    "target_id",
    "target_repr",
    "scope_path",
    "before",
    "after",
]


def _entries(count: int = 4) -> Anchor:
    for i in range(count):
        audit_record(event=AuditEvent.UNIT_UPDATED, after={"n": i, "name": "Xã Đông Hòa"})
    head = audit_head()
    assert head is not None
    return head


def _rewrite_from(seq: int, *, change: dict[str, Any]) -> None:
    """What an insider with the table's rights does: alter entries from `seq` on, recompute
    every hash after them and move the head row, so the chain is consistent again."""
    _drop_guard_triggers()
    prev = AuditEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or "0" * 64
    last = 0
    for row in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values():
        fields = {name: row[name] for name in FIELDS} | change
        digest = _entry_digest(**fields, prev_hash=prev)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditentry SET target_repr = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [fields["target_repr"], prev, digest, row["seq"]],
            )
        prev, last = digest, row["seq"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE id = 1", [last, prev])


def test_rewriting_the_tail_with_the_head_is_caught_by_an_earlier_anchor() -> None:
    anchor = _entries()
    _rewrite_from(anchor.seq, change={"target_repr": "forged"})
    assert audit_verify().ok  # self-consistent again: the defect the anchor closes
    result = audit_verify(anchors=[anchor])
    assert (result.ok, result.broken_seq) == (False, anchor.seq)
    assert "anchor" in result.reason


def test_recomputing_the_whole_chain_is_caught() -> None:
    anchor = _entries()
    audit_record(event=AuditEvent.UNIT_UPDATED)
    _rewrite_from(1, change={"target_repr": "forged"})
    assert audit_verify().ok
    assert not audit_verify(anchors=[anchor]).ok


def test_a_wiped_table_fails_against_any_anchor() -> None:
    anchor = _entries()
    _drop_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_audithead")
    assert audit_verify().ok and audit_verify().checked == 0
    result = audit_verify(anchors=[anchor])
    assert not result.ok and f"before anchored entry #{anchor.seq}" in result.reason


def test_a_chain_that_grew_past_its_anchors_verifies() -> None:
    first = _entries(2)
    second = _entries(2)
    result = audit_verify(anchors=[first, second])
    assert result.ok and result.anchors_checked == 2 and result.head == second


def test_cli_prints_the_head_and_checks_expected_anchors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = _entries()
    assert egov_main(["audit", "verify"]) == 0
    assert f"head {head.seq}:{head.hash}" in capsys.readouterr().out
    assert egov_main(["audit", "verify", "--expect", str(head)]) == 0
    forged = Anchor(head.seq, "f" * 64)
    assert egov_main(["audit", "verify", "--expect", str(forged)]) == 1
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(f"# kept off-site\n{head} 2026-12-07T10:00:00+00:00\n\n", encoding="utf-8")
    assert egov_main(["audit", "verify", "--anchors", str(anchors)]) == 0
    assert egov_main(["audit", "verify", "--expect", f"{head.seq + 1}:{head.hash}"]) == 1
    assert egov_main(["audit", "verify", "--expect", "12:nothex"]) == 2


def test_anchor_text_is_parsed_strictly() -> None:
    assert anchor_parse(" 7:" + "A" * 64 + " ") == Anchor(7, "a" * 64)
    with pytest.raises(ValueError):
        anchor_parse("7:" + "a" * 63)
    assert anchors_read("# x\n3:" + "b" * 64 + " 2026-01-01T00:00:00+00:00\n") == [Anchor(3, "b" * 64)]


def test_the_scheduled_job_appends_the_head_when_it_moves(tmp_path: Path) -> None:
    first = _entries(2)
    published = audit_anchor_publish(directory=tmp_path, email="thanh.tra@example.vn")
    assert published.published == first
    assert audit_anchor_publish(directory=tmp_path).published is None  # unchanged head, no new line
    second = _entries(1)
    # Within the interval nothing is written; after it the new head is.
    assert audit_anchor_publish(directory=tmp_path, min_interval=dt.timedelta(hours=1)).published is None
    assert audit_anchor_publish(directory=tmp_path).published == second
    lines = (tmp_path / "anchors.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == [str(first), str(second)]
    assert anchors_read("\n".join(lines)) == [first, second]
    mail = Notification.objects.get(kind="audit.anchor")
    assert str(first) in mail.body and mail.deliveries.get().recipient == "thanh.tra@example.vn"


def test_the_scheduled_job_notices_a_rewrite_of_its_last_anchor(tmp_path: Path) -> None:
    anchor = _entries()
    audit_anchor_publish(directory=tmp_path)
    _rewrite_from(anchor.seq, change={"target_repr": "forged"})
    result = audit_anchor_publish(directory=tmp_path)
    assert not result.previous_holds
    assert egov_main(["audit", "verify", "--anchors", str(tmp_path / "anchors.txt")]) == 1


@pytest.mark.postgresql  # SQLite has no TRUNCATE; its DELETE trigger covers a wipe
def test_truncate_is_refused_on_postgresql() -> None:
    _entries(2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks may be pending at TRUNCATE
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 2


def test_the_scheduler_pass_publishes_the_head(tmp_path: Path, settings: Any) -> None:
    settings.EGOV_AUDIT_ANCHOR_DIR = tmp_path
    head = _entries(2)
    (tmp_path / "anchors.txt").write_text("not an anchor\n", encoding="utf-8")
    assert egov_main(["scheduler", "--once"]) == 0
    assert anchors_read((tmp_path / "anchors.txt").read_text(encoding="utf-8").split("\n", 1)[1]) == [head]
