"""Background work of the demo (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def sign_history_task() -> int:
    """Sign one batch of the demo's synthetic history, then queue the next until none is left."""
    from egov.demo.signed_documents import sign_history_batch

    done = sign_history_batch()
    if done:
        sign_history_task.enqueue()
    return done
