"""Failed attempts are retried with backoff, never sent twice, and swept up when tasks are lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from egov.notifications.models import Delivery, DeliveryStatus
from egov.notifications.services import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    SWEEP_GRACE,
    deliveries_retry_due,
    delivery_attempt,
    delivery_claim,
    notification_send,
)

from .conftest import DATABASE_TASKS, SmtpServer

pytestmark = pytest.mark.django_db

SUBJECT = "Hồ sơ 000.00.00.H33-260101-0002: bổ sung giấy tờ"
BODY = "Đề nghị ông/bà bổ sung bản sao Giấy chứng nhận quyền sử dụng đất."


def _send_email(callbacks: Callable[..., Any], address: str = "duc@example.vn") -> Delivery:
    with callbacks(execute=True):
        notification = notification_send(kind="dossier.supplement", subject=SUBJECT, body=BODY, email=address)
    return notification.deliveries.get()


def _make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def _close_to(value: dt.datetime | None, expected: dt.datetime, tolerance: float = 5) -> bool:
    return value is not None and abs((value - expected).total_seconds()) < tolerance


def test_a_refused_connection_fails_the_first_attempt_and_retries_a_minute_later(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    delivery = _send_email(django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert _close_to(delivery.next_attempt_at, timezone.now() + dt.timedelta(minutes=1))
    assert delivery.will_retry


def test_backoff_is_1_5_30_120_minutes_then_it_gives_up_after_five_attempts(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    delivery = _send_email(django_capture_on_commit_callbacks)
    seen = []
    for attempt in range(2, MAX_ATTEMPTS + 2):
        delivery.refresh_from_db()
        assert delivery.attempts == attempt - 1
        if delivery.next_attempt_at is None:
            break
        seen.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
        _make_due(delivery)
        delivery_attempt(delivery_id=delivery.pk)
    assert seen == [1, 5, 30, 120]
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == MAX_ATTEMPTS == 5
    assert "ConnectionRefusedError" in delivery.last_error

    _make_due(delivery)  # a stray task afterwards changes nothing
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, 5)


def test_a_retry_succeeds_once_the_server_is_back(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any], smtp_server: SmtpServer
) -> None:
    with override_settings(EMAIL_PORT=dead_smtp):
        delivery = _send_email(django_capture_on_commit_callbacks)
    _make_due(delivery)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert "ConnectionRefusedError" in delivery.last_error  # kept as history
    assert len(smtp_server.messages) == 1


def test_an_attempt_before_the_retry_time_does_nothing(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    delivery = _send_email(django_capture_on_commit_callbacks)
    delivery_attempt(delivery_id=delivery.pk)  # a duplicate task, a minute early
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_mailbox_the_server_refuses_for_good_is_not_retried(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    delivery = _send_email(django_capture_on_commit_callbacks, address="nobody@example.vn")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None
    assert "DeliveryRejected" in delivery.last_error and "550" in delivery.last_error
    assert smtp_server.envelopes == []


def test_of_two_claims_on_the_same_attempt_only_the_first_wins(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # created, not yet picked up
        notification = notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, email="a@b.vn")
    # Two workers read the same row before either acts.
    first = Delivery.objects.get(notification=notification)
    second = Delivery.objects.get(notification=notification)

    assert delivery_claim(delivery_id=first.pk, attempts=first.attempts) is True
    assert delivery_claim(delivery_id=second.pk, attempts=second.attempts) is False
    claimed = Delivery.objects.get(pk=first.pk)
    assert claimed.attempts == 1
    assert _close_to(claimed.next_attempt_at, timezone.now() + CLAIM_LEASE)

    # The loser's full attempt path sends nothing either: the row is now leased to the winner.
    delivery_attempt(delivery_id=second.pk)
    assert smtp_server.envelopes == []
    assert Delivery.objects.get(pk=first.pk).attempts == 1


class SecondWorkerDuringSend:
    """An SMS gateway so slow that other workers act on the same delivery while it is sending."""

    sends: ClassVar[list[str]] = []
    stale_claims: ClassVar[list[bool]] = []

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.sends.append(recipient)
        if len(self.sends) == 1:
            delivery = Delivery.objects.get(recipient=recipient)
            # A duplicate task for the same delivery runs now...
            delivery_attempt(delivery_id=delivery.pk)
            # ...and a worker that read the row before our claim tries to claim it as well.
            self.stale_claims.append(delivery_claim(delivery_id=delivery.pk, attempts=0))


def test_other_workers_during_a_send_do_not_send_again(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    SecondWorkerDuringSend.sends = []
    SecondWorkerDuringSend.stale_claims = []
    with (
        override_settings(EGOV_SMS_BACKEND=f"{__name__}.SecondWorkerDuringSend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, phone="0912345678"
        )
    assert SecondWorkerDuringSend.sends == ["+84912345678"]
    assert SecondWorkerDuringSend.stale_claims == [False]
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_the_sweep_requeues_overdue_deliveries_once(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the task was lost
        notification = notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, email="a@b.vn")
    delivery = notification.deliveries.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert deliveries_retry_due() == 0  # still within the grace period
    assert callbacks == []

    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - SWEEP_GRACE - dt.timedelta(seconds=1)
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert deliveries_retry_due(now=now) == 1
        assert deliveries_retry_due(now=now) == 0  # a second scheduler at the same moment
    assert len(callbacks) == 1
    assert len(smtp_server.messages) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_the_sweep_leaves_finished_and_future_deliveries_alone(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    failed_for_good = notification_send(kind="x", subject="x", body="x", email="bad@").deliveries.get()
    retry_later = _send_email(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_due() == 0
    assert Delivery.objects.get(pk=failed_for_good.pk).attempts == 0
    assert Delivery.objects.get(pk=retry_later.pk).attempts == 1


def test_a_worker_that_died_mid_send_is_retried_after_its_lease(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        notification = notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, email="a@b.vn")
    delivery = notification.deliveries.get()
    assert delivery_claim(delivery_id=delivery.pk, attempts=0)  # ...and the worker is killed here

    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_due(now=timezone.now() + CLAIM_LEASE - dt.timedelta(minutes=1)) == 0
    lease_over = timezone.now() - SWEEP_GRACE - dt.timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=lease_over)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_a_last_attempt_that_never_finished_gives_up(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    delivery = notification_send(kind="x", subject="x", body="x", phone="0912345678").deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.last_error


def test_the_sweep_command_reports_what_it_queued(
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    delivery = notification_send(kind="x", subject="x", body="x", email="a@b.vn").deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_retry_due")
    assert "1 deliveries queued" in capsys.readouterr().out
    assert len(smtp_server.messages) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_database_queue_a_failure_queues_its_retry_for_later(
    dead_smtp: int, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        delivery = notification_send(kind="x", subject="x", body="x", email="a@b.vn").deliveries.get()
    [first] = DBTaskResult.objects.all()
    assert first.args_kwargs == {"args": [], "kwargs": {"delivery_id": delivery.pk}}

    with django_capture_on_commit_callbacks(execute=True):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.task_path == "egov.notifications.tasks.deliver_task"
    assert retry.run_after == delivery.next_attempt_at


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_delivers_after_commit(smtp_server: SmtpServer) -> None:
    notification = notification_send(
        kind="dossier.received", subject=SUBJECT, body=BODY, email="duc@example.vn"
    )
    assert smtp_server.envelopes == []  # queued, not sent: that is the worker's job
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0
    )
    assert smtp_server.subjects == [SUBJECT]
    assert notification.deliveries.get().status == DeliveryStatus.SENT
