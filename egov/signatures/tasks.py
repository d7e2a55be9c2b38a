"""Background tasks of the signature app (django-tasks). They take ids and re-read; running one
twice is harmless."""

from __future__ import annotations

from django_tasks import task

from egov.signatures.checks import check_run, recheck


@task()
def check_task(report_id: int) -> str | None:
    return check_run(report_id=report_id)


@task()
def recheck_task(undecided: bool = False) -> dict[str, float]:
    return recheck(undecided=undecided)
