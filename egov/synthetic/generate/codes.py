"""Dossier codes ``<agency>-<YYMMDD>-<NNNN>``, continuing the daily counters."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from egov.synthetic.generate.data import DossierPlan


def assign_codes(
    plans: list[DossierPlan], counters: dict[tuple[str, dt.date], int]
) -> dict[tuple[str, dt.date], int]:
    """Give each plan its code, consecutive per agency and (local) day in order of reception,
    continuing after ``counters``; returns the last number used per (agency, day)."""
    last = dict(counters)
    used: dict[tuple[str, dt.date], int] = {}
    for index in sorted(range(len(plans)), key=lambda i: (plans[i].received_at, i)):
        plan = plans[index]
        day = timezone.localtime(plan.received_at).date()
        key = (plan.agency_code, day)
        number = last.get(key, 0) + 1
        last[key] = used[key] = number
        plan.code = f"{plan.agency_code}-{day:%y%m%d}-{number:04d}"
    return used
