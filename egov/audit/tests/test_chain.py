from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from egov.audit.models import AppendOnlyError, AuditEntry, AuditEvent
from egov.audit.services import audit_record, audit_verify
from egov.cli import main as egov_main


def _three_entries() -> list[AuditEntry]:
    return [
        audit_record(event=AuditEvent.UNIT_UPDATED, after={"n": i, "name": "Xã Đông Hòa"}) for i in range(3)
    ]


def _drop_guard_triggers() -> None:
    """Simulate a DBA with direct access: the tampering these tests detect bypasses the app."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_append_only ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")


@pytest.mark.django_db
def test_entries_form_a_chain_that_verifies() -> None:
    entries = _three_entries()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash
    assert audit_verify().ok
    assert audit_verify().checked == 3


@pytest.mark.django_db
def test_altered_entry_is_reported_at_its_sequence() -> None:
    _three_entries()
    _drop_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET target_repr = 'forged' WHERE seq = 2")
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert "altered" in result.reason


@pytest.mark.django_db
def test_deleted_entry_is_reported() -> None:
    _three_entries()
    _drop_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    result = audit_verify()
    assert (result.ok, result.broken_seq) == (False, 2)


@pytest.mark.django_db
def test_removed_tail_is_reported() -> None:
    _three_entries()
    _drop_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    result = audit_verify()
    assert (result.ok, result.broken_seq) == (False, 3)


@pytest.mark.django_db
def test_application_cannot_update_or_delete_entries() -> None:
    entry = _three_entries()[0]
    entry.target_repr = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(target_repr="x")


@pytest.mark.django_db
def test_database_refuses_raw_updates() -> None:
    _three_entries()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET event = 'x' WHERE seq = 1")
    assert AuditEntry.objects.get(seq=1).event == AuditEvent.UNIT_UPDATED


@pytest.mark.django_db
def test_entry_is_rolled_back_with_the_change_it_records() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(event=AuditEvent.UNIT_UPDATED)
        raise RuntimeError("the service failed after auditing")
    assert AuditEntry.objects.count() == 0
    assert audit_verify().ok


@pytest.mark.django_db
def test_cli_verify_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    _three_entries()
    assert egov_main(["audit", "verify"]) == 0
    assert "3 entries" in capsys.readouterr().out
    _drop_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = NULL WHERE seq = 1")
    assert egov_main(["audit", "verify"]) == 1
    assert "#1" in capsys.readouterr().out
