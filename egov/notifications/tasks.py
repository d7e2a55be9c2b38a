"""Background tasks (django-tasks). They take ids and re-read; running one twice is harmless."""

from __future__ import annotations

from django_tasks import task

from egov.notifications.services import deliveries_retry_due, delivery_attempt


@task()
def deliver_task(delivery_id: int) -> None:
    delivery_attempt(delivery_id=delivery_id)


@task()
def retry_due_task() -> int:
    return deliveries_retry_due()
