"""Reading dossiers: everything starts from what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, role_paths
from egov.accounts.types import Actor, Visitor
from egov.dossiers.clock import calendar_of
from egov.dossiers.models import (
    OPEN_STATES,
    PAUSED_STATES,
    Dossier,
    DossierState,
    DossierStep,
    NationalStatus,
    StepStatus,
)
from egov.dossiers.permissions import sees_everything, visible_paths
from egov.orgs.models import Unit
from egov.workcal import elapsed


def _path_q(prefix: str, paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}__path__startswith": path})
    return condition


def dossiers_visible_to(user: Visitor) -> QuerySet[Dossier]:
    """Dossiers received or resolved in the user's units, or that passed through them."""
    base = Dossier.objects.select_related(
        "procedure_version", "receiving_unit", "resolving_unit", "current_step"
    )
    if sees_everything(user):
        return base
    if not is_staff_user(user):
        if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
            return base.none()
        return base.filter(applicant_user=user)
    paths = visible_paths(user)
    if not paths:
        return base.none()
    through_steps = DossierStep.objects.filter(_path_q("unit", paths), dossier=OuterRef("pk"))
    return base.filter(
        _path_q("receiving_unit", paths) | _path_q("resolving_unit", paths) | Q(Exists(through_steps))
    )


def dossiers_for_back_office(user: Visitor) -> QuerySet[Dossier]:
    """What the back office (pages, staff API) shows: staff only. Citizens read their own
    dossiers through the portal, which hides officers' names, notes and internal steps."""
    if not is_staff_user(user):
        return Dossier.objects.none()
    return dossiers_visible_to(user)


def dossier_get_for_user(*, user: Visitor, pk: int) -> Dossier:
    """One dossier for the back office; 404 for anyone who may not see it, citizens included."""
    return get_object_or_404(dossiers_for_back_office(user), pk=pk)


def dossier_for_intake_token(*, token: str, unit: Unit, user: Actor) -> Dossier | None:
    """The dossier this officer already made at this counter from this intake form, if any."""
    if not token or not getattr(user, "pk", None):
        return None
    return Dossier.objects.filter(intake_token=token, receiving_unit=unit, created_by=user).first()


def _inbox_q(user: Visitor) -> Q:
    """What waits for this user: a current step assigned to them, or unassigned in a unit where
    they hold the step's role; and online submissions waiting for acceptance at their counters."""
    condition = Q(current_step__assigned_to=user)
    for role in Role:
        paths = role_paths(user, {role.value})
        if paths:
            condition |= Q(current_step__role=role.value, current_step__assigned_to__isnull=True) & _path_q(
                "current_step__unit", paths
            )
    waiting = Q(condition, current_step__status=StepStatus.ACTIVE)
    counters = role_paths(user, {Role.ONE_STOP_OFFICER.value})
    if counters:
        # Including those whose papers were asked for before acceptance: the officer checks them.
        before_acceptance = Q(state=DossierState.REGISTERED) | Q(
            state=DossierState.SUPPLEMENT, received_at__isnull=True
        )
        waiting |= before_acceptance & _path_q("receiving_unit", counters)
    return waiting


def inbox_for(user: Visitor) -> QuerySet[Dossier]:
    """The user's inbox: what waits for them, soonest due first, online submissions first of all
    (they have no due time until accepted)."""
    return (
        dossiers_for_back_office(user)
        .filter(_inbox_q(user))
        .order_by(F("due_at").asc(nulls_first=True), "created_at", "pk")
    )


def _view_q(user: Visitor, view: str, now: dt.datetime) -> Q:
    if view == "inbox":
        return _inbox_q(user)
    if view == "open":
        return Q(state__in=OPEN_STATES)
    if view == "due_soon":
        return Q(state=DossierState.PROCESSING, due_at__gt=now, due_at__lte=now + dt.timedelta(days=3))
    if view == "overdue":
        return Q(state=DossierState.PROCESSING, due_at__lte=now)
    if view == "paused":
        return Q(state__in=PAUSED_STATES)
    if view == "registered":
        return Q(state=DossierState.REGISTERED)
    return Q()


def dossier_counts(user: Visitor, views: list[str]) -> dict[str, int]:
    """How many dossiers each list tab holds, in one query (one conditional count per tab)."""
    now = timezone.now()
    return dossiers_for_back_office(user).aggregate(
        **{view: Count("pk", filter=_view_q(user, view, now) or None) for view in views}
    )


def dossier_list(user: Visitor, *, view: str, q: str = "") -> QuerySet[Dossier]:
    qs = dossiers_for_back_office(user)
    now = timezone.now()
    if view == "inbox":
        qs = inbox_for(user)
    elif view in {"open", "due_soon", "overdue", "paused"}:
        qs = qs.filter(_view_q(user, view, now)).order_by("due_at")
    elif view == "registered":
        qs = qs.filter(_view_q(user, view, now)).order_by("created_at")
    else:
        qs = qs.order_by("-received_at", "-pk")
    q = q.strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_id_number=q))
    return qs


def national_status(dossier: Dossier) -> NationalStatus | None:
    return NationalStatus.objects.filter(state=dossier.state).first()


def remaining_office_time(dossier: Dossier) -> dt.timedelta | None:
    """Office time left until the due time (negative when late); None when not running."""

    if dossier.state != DossierState.PROCESSING or dossier.due_at is None:
        return None
    now = timezone.now()
    cal = calendar_of(dossier)
    if now <= dossier.due_at:
        return elapsed(start=now, end=dossier.due_at, cal=cal)
    return -elapsed(start=dossier.due_at, end=now, cal=cal)


def register_rows(*, unit: Any, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """The dossier register (form 07) of a receiving unit for a period."""
    return (
        Dossier.objects.filter(receiving_unit__path__startswith=unit.path)
        .filter(received_at__date__gte=start, received_at__date__lte=end)
        .select_related("procedure_version")
        .order_by("received_at", "code")
    )
