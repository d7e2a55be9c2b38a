"""Reading plan targets and the service index definition."""

from __future__ import annotations

from egov.plans.models import PlanTarget


def plan_codes() -> list[str]:
    """Plans that have targets, newest code last."""
    return sorted(set(PlanTarget.objects.values_list("plan", flat=True)))


def plan_targets(*, plan: str) -> list[PlanTarget]:
    return list(PlanTarget.objects.filter(plan=plan).order_by("order", "key"))
