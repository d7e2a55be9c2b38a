"""Reading the audit trail and the failed sign-ins, scoped to the auditor's units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import Q, QuerySet

from egov.accounts.models import RoleAssignment
from egov.accounts.permissions import audit_scope_paths, can_read_audit
from egov.accounts.types import Visitor
from egov.audit.models import AuditEntry, AuditEvent
from egov.orgs.models import AREA_KINDS, Unit

EVENT_LABELS: dict[str, Any] = {e.value: e.label for e in AuditEvent}


def event_label(event: str) -> str:
    """The event's name for people; an event nobody named yet shows its key."""
    label = EVENT_LABELS.get(event)
    return str(label) if label is not None else event


def event_choices() -> list[tuple[str, str]]:
    return sorted(((key, event_label(key)) for key in EVENT_LABELS), key=lambda c: c[1])


def _path_condition(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def audit_entries_visible_to(user: Visitor) -> QuerySet[AuditEntry]:
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    paths = audit_scope_paths(user)
    qs = AuditEntry.objects.select_related("actor")
    if paths is None:
        return qs
    return qs.filter(_path_condition("scope_path", paths))


def audit_units_for(user: Visitor) -> QuerySet[Unit]:
    """The areas (province, districts, communes) the user may filter the trail by."""
    qs = Unit.objects.filter(kind__in=AREA_KINDS, valid_to__isnull=True).order_by("path")
    paths = audit_scope_paths(user)
    if paths is None:
        return qs
    # An auditor of an agency filters by the area it sits in; entries stay limited to the agency.
    return qs.filter(_path_condition("path", paths) | Q(pk__in=_areas_above(paths)))


def _areas_above(paths: list[str]) -> list[int]:
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part.isdigit()}
    return list(Unit.objects.filter(pk__in=ids, kind__in=AREA_KINDS).values_list("pk", flat=True))


def audit_entries_filtered(
    *,
    user: Visitor,
    actor: str = "",
    event: str = "",
    unit: Unit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries the user may read that match every filter given, newest first."""
    qs = audit_entries_visible_to(user)
    if actor:
        qs = qs.filter(Q(actor_repr__icontains=actor) | Q(actor__username__iexact=actor))
    if event:
        qs = qs.filter(event=event)
    if unit is not None:
        qs = qs.filter(scope_path__startswith=unit.path)
    if start is not None:
        qs = qs.filter(at__date__gte=start)
    if end is not None:
        qs = qs.filter(at__date__lte=end)
    return qs.order_by("-seq")


def _usernames_in_scope(paths: list[str]) -> QuerySet[RoleAssignment, Any]:
    return (
        RoleAssignment.objects.active().filter(_path_condition("unit__path", paths)).values("user__username")
    )


def signin_failures_visible_to(user: Visitor) -> QuerySet[AccessFailureLog]:
    """Failed sign-ins: all of them for system administrators; for an auditor, those against the
    accounts of people holding a role in the auditor's units (unknown names stay hidden)."""
    if not can_read_audit(user):
        none: QuerySet[AccessFailureLog] = AccessFailureLog.objects.none()
        return none
    paths = audit_scope_paths(user)
    qs: QuerySet[AccessFailureLog] = AccessFailureLog.objects.order_by("-attempt_time")
    return qs if paths is None else qs.filter(username__in=_usernames_in_scope(paths))


def lockouts_visible_to(user: Visitor) -> QuerySet[AccessAttempt]:
    """The failure counters django-axes holds now (reset by a successful sign-in)."""
    if not can_read_audit(user):
        none: QuerySet[AccessAttempt] = AccessAttempt.objects.none()
        return none
    paths = audit_scope_paths(user)
    qs: QuerySet[AccessAttempt] = AccessAttempt.objects.order_by("-attempt_time")
    return qs if paths is None else qs.filter(username__in=_usernames_in_scope(paths))


def audit_rows(qs: QuerySet[AuditEntry], *, limit: int) -> Iterator[list[Any]]:
    """The export's rows, streamed from the database."""
    from django.utils import timezone

    for e in qs[:limit].iterator(chunk_size=2000):
        yield [
            e.seq,
            timezone.localtime(e.at).replace(tzinfo=None),
            e.actor_repr,
            event_label(e.event),
            e.event,
            e.target_repr,
            e.ip or "",
            e.request_id,
        ]
