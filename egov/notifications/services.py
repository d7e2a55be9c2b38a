"""Sending notifications: record them in the caller's transaction, deliver them after commit.

Delivery runs in a worker, outside any transaction (an SMTP conversation must not hold the
database). Every attempt starts with a conditional update, so two workers that pick up the
same delivery never both send it, and a periodic sweep re-queues whatever a lost task or a
crashed worker left behind."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db import DatabaseBackend

from egov.notifications.channels import DeliveryRejected, channel_get
from egov.notifications.models import Delivery, DeliveryChannel, DeliveryStatus, Notification, StaffMessage
from egov.notifications.recipients import email_normalise, phone_normalise

logger = logging.getLogger("egov.notifications")

# Wait after failed attempt 1, 2, 3, 4; the fifth failure gives up.
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a claimed attempt may run before the sweep assumes its worker died. Longer than
# EMAIL_TIMEOUT, so a slow but live SMTP conversation is never sent a second time.
CLAIM_LEASE = dt.timedelta(minutes=10)
# The sweep leaves due deliveries alone this long: their own deferred task normally runs first.
SWEEP_GRACE = dt.timedelta(minutes=2)

# Statuses from which a delivery can still be attempted (when next_attempt_at has come).
_AWAITING = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
_SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 255
_RECIPIENT_MAX = Delivery._meta.get_field("recipient").max_length or 254
_ERROR_MAX = 2000


def _enqueue_on_commit(delivery_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queue one attempt of the delivery for the worker.

    With the database task backend the task row is written in the caller's transaction (an
    outbox): it commits or rolls back with the work that caused it, and costs no second commit.
    Any other backend (the immediate one runs the task at once) is called after commit, and
    ``robust``: a queue that is down must not turn the caller's committed work into an error
    page; the sweep picks the delivery up later."""
    from egov.notifications.tasks import deliver_task

    task = deliver_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # e.g. the immediate backend: the periodic sweep retries instead
        task = task.using(run_after=run_after)

    def enqueue() -> None:
        task.enqueue(delivery_id=delivery_id)

    if isinstance(task.get_backend(), DatabaseBackend) and transaction.get_connection().in_atomic_block:
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)


def notification_send(
    *,
    kind: str,
    subject: str,
    body: str,
    email: str = "",
    phone: str = "",
    related: models.Model | None = None,
) -> Notification:
    """Record a notification and queue one delivery per contact given; sending starts after commit.

    Call it inside the service that causes it: if that transaction rolls back, nothing is sent.
    A contact that is not a valid e-mail address or Vietnamese mobile number does not raise
    (the applicant's dossier must not fail over a typo); it is recorded as a failed delivery
    whose ``last_error`` says why."""
    now = timezone.now()
    # A line break in a subject would be an e-mail header injection; long ones are cut, not refused.
    clean_subject = " ".join(subject.split())
    if len(clean_subject) > _SUBJECT_MAX:
        clean_subject = clean_subject[: _SUBJECT_MAX - 1] + "…"
    notification = Notification(kind=kind, subject=clean_subject, body=body, created_at=now)
    if related is not None:
        if related.pk is None:
            raise ValueError("notification_send(related=...) needs a saved object")
        notification.related_type = related._meta.label_lower
        notification.related_id = str(related.pk)
    notification.full_clean()

    contacts = (
        (DeliveryChannel.EMAIL, email, email_normalise),
        (DeliveryChannel.SMS, phone, phone_normalise),
    )
    deliveries: list[Delivery] = []
    for channel, raw, normalise in contacts:
        if not raw or not raw.strip():
            continue
        delivery = Delivery(channel=channel, created_at=now)
        try:
            delivery.recipient = normalise(raw)
        except ValidationError as exc:
            delivery.recipient = raw.strip()[:_RECIPIENT_MAX]
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = " ".join(str(message) for message in exc.messages)
        else:
            delivery.next_attempt_at = now
        deliveries.append(delivery)

    # Checked above, written here: no savepoint of its own (a failed insert fails the caller's
    # transaction anyway), and the deliveries go in one statement.
    with transaction.atomic(savepoint=False):
        notification.save(force_insert=True)
        for delivery in deliveries:
            delivery.notification = notification
        Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        if delivery.status == DeliveryStatus.PENDING:
            _enqueue_on_commit(delivery.pk)
    return notification


def delivery_claim(*, delivery_id: int, attempts: int, now: dt.datetime | None = None) -> bool:
    """Take the next attempt of a due delivery for this worker.

    ``attempts`` is the count the caller read. Of several workers that read the same count,
    exactly one gets ``True``; the others update no row and must not send."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=_AWAITING, attempts=attempts, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.PENDING, attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    return claimed == 1


def delivery_attempt(*, delivery_id: int) -> None:
    """Make one attempt to deliver, if the delivery is due and no other worker took it first.

    Success marks it sent. A failure records the error and schedules the next attempt after
    1 min, 5 min, 30 min, 2 h; the fifth failure marks it ``gave_up``."""
    now = timezone.now()
    delivery = Delivery.objects.select_related("notification").filter(pk=delivery_id).first()
    if (
        delivery is None
        or delivery.status not in _AWAITING
        or delivery.next_attempt_at is None
        or delivery.next_attempt_at > now
    ):
        return  # already sent, finished, or not due yet (a duplicate task)
    if delivery.attempts >= MAX_ATTEMPTS:
        # The worker that claimed the last attempt never reported back (killed mid-send).
        Delivery.objects.filter(pk=delivery.pk, status__in=_AWAITING, attempts=delivery.attempts).update(
            status=DeliveryStatus.GAVE_UP,
            next_attempt_at=None,
            last_error=gettext("The last attempt did not finish; its outcome is unknown."),
        )
        return
    if not delivery_claim(delivery_id=delivery.pk, attempts=delivery.attempts, now=now):
        return
    attempt = delivery.attempts + 1
    notification = delivery.notification
    try:
        channel_get(delivery.channel).send(delivery.recipient, notification.subject, notification.body)
    except Exception as exc:  # any failure of a channel is a failed attempt, recorded below
        _delivery_fail(delivery_id=delivery.pk, attempt=attempt, error=exc)
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    logger.info("delivery %s sent by %s (attempt %s)", delivery.pk, delivery.channel, attempt)


def _delivery_fail(*, delivery_id: int, attempt: int, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:_ERROR_MAX]
    next_attempt_at: dt.datetime | None = None
    if isinstance(error, DeliveryRejected):
        status = DeliveryStatus.FAILED  # for good: no next attempt
    elif attempt >= MAX_ATTEMPTS:
        status = DeliveryStatus.GAVE_UP
    else:
        status = DeliveryStatus.FAILED
        next_attempt_at = timezone.now() + RETRY_DELAYS[attempt - 1]
    updated = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt).update(
        status=status, last_error=message, next_attempt_at=next_attempt_at
    )
    logger.warning(
        "delivery %s attempt %s failed (%s); %s",
        delivery_id,
        attempt,
        message,
        f"next attempt at {next_attempt_at.isoformat()}" if next_attempt_at else status,
    )
    if updated and next_attempt_at is not None:
        _enqueue_on_commit(delivery_id, run_after=next_attempt_at)


def deliveries_retry_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Re-queue deliveries whose next attempt is overdue; returns how many were queued.

    For a periodic job. Retries are normally queued with ``run_after`` when an attempt fails;
    this catches what a lost task or a dead worker left behind. Two sweeps may run at once: a
    conditional update decides which one queues each delivery, and the attempt's own claim
    stops any duplicate from sending twice."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status__in=_AWAITING, next_attempt_at__lte=now - SWEEP_GRACE).order_by(
        "next_attempt_at"
    )
    queued = 0
    for pk, seen_at in due.values_list("pk", "next_attempt_at")[:limit]:
        # Moving next_attempt_at to ``now`` keeps the delivery due for the worker but out of the
        # next sweeps for SWEEP_GRACE, and lets only one of two concurrent sweeps win the row.
        if Delivery.objects.filter(pk=pk, status__in=_AWAITING, next_attempt_at=seen_at).update(
            next_attempt_at=now
        ):
            _enqueue_on_commit(pk)
            queued += 1
    return queued


def staff_message_send(
    *,
    recipient: Any,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    related: models.Model | None = None,
) -> StaffMessage:
    """Leave an in-app message for a member of staff, and queue an e-mail copy when they have
    an address. Call it inside the service that causes it: both roll back with it."""
    clean_subject = " ".join(subject.split())[:_SUBJECT_MAX]
    message = StaffMessage(recipient=recipient, kind=kind, subject=clean_subject, body=body, link=link[:500])
    if related is not None:
        message.related_type = related._meta.label_lower
        message.related_id = str(related.pk)
    message.full_clean(exclude=["recipient"])
    message.save(force_insert=True)
    email = str(getattr(recipient, "email", "") or "")
    if email:
        notification_send(
            kind=kind, subject=clean_subject, body=f"{body}\n\n{link}".strip(), email=email, related=related
        )
    return message


def staff_messages_mark_read(*, recipient: Any, ids: list[int] | None = None) -> int:
    """Mark the recipient's messages read (all of them, or those listed); returns how many."""
    qs = StaffMessage.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
