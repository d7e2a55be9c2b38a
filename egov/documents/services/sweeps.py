"""The watch over the document clocks, run by the scheduler: the submission clock (a document
not yet before the leader when it should be), handling deadlines one working day away, and
overdue assignments. Each mark is a conditional update, so two workers act once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.models import AuditEvent
from egov.documents.models import OPEN_ASSIGNMENT_STATES, Assignment, Entry, EntryState
from egov.documents.selectors import clerks_of
from egov.documents.services.common import audit, working_days_due
from egov.documents.services.handling import local_text, people_of, tell

# Candidates for "one working day away" are read this far ahead (weekends and Tết included),
# then checked against each agency's calendar.
LOOKAHEAD = dt.timedelta(days=12)


# The clerk is warned this long before a document's time to go before the leader runs out
# (Decree 30 Art. 22: the same day, at the latest the next working day), so it is not missed.
SUBMIT_WARN_AHEAD = dt.timedelta(hours=1)


def submission_clock_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Warn the clerks, once, of each registered document whose time to go before the leader
    runs out within the hour (or has run out, when the warning could not come earlier)."""
    now = now or timezone.now()
    late = Entry.objects.filter(
        state=EntryState.REGISTERED, submit_due_at__lte=now + SUBMIT_WARN_AHEAD, submit_warned_at__isnull=True
    ).values_list("pk", flat=True)[:limit]
    warned = 0
    for pk in list(late):
        with transaction.atomic():
            if Entry.objects.filter(pk=pk, submit_warned_at__isnull=True).update(submit_warned_at=now) != 1:
                continue  # another worker won
            entry = Entry.objects.select_related("agency", "document").get(pk=pk)
            assert entry.submit_due_at is not None
            if entry.submit_due_at <= now:
                kind, subject = "documents.submit_late", _("Not yet before the leader: %(doc)s")
                body = _("It was to be submitted by %(due)s.")
            else:
                kind, subject = (
                    "documents.submit_due",
                    _("To be put before the leader within the hour: %(doc)s"),
                )
                body = _("Submit it to a leader by %(due)s.")
            tell(
                clerks_of(entry.agency),
                kind=kind,
                subject=subject % {"doc": entry.document},
                entry=entry,
                body=body % {"due": local_text(entry.submit_due_at)},
            )
            warned += 1
    return warned


def deadline_warning_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Tell the handlers, once, when their deadline is one working day away."""
    now = now or timezone.now()
    near = Assignment.objects.filter(
        state__in=OPEN_ASSIGNMENT_STATES, due_at__gt=now, due_at__lte=now + LOOKAHEAD, warned_at__isnull=True
    ).select_related("entry__agency")[:limit]
    thresholds: dict[int, dt.datetime] = {}
    warned = 0
    for candidate in list(near):
        agency = candidate.entry.agency
        if agency.pk not in thresholds:
            thresholds[agency.pk] = working_days_due(agency=agency, start=now, days=1)
        assert candidate.due_at is not None
        if candidate.due_at > thresholds[agency.pk]:
            continue
        with transaction.atomic():
            if Assignment.objects.filter(pk=candidate.pk, warned_at__isnull=True).update(warned_at=now) != 1:
                continue
            assignment = Assignment.objects.select_related("entry__document", "unit", "person").get(
                pk=candidate.pk
            )
            tell(
                people_of(assignment),
                kind="documents.due_soon",
                subject=_("Deadline tomorrow: %(doc)s") % {"doc": assignment.entry.document},
                entry=assignment.entry,
                body=_("Deadline: %(due)s.") % {"due": local_text(assignment.due_at)},
            )
            warned += 1
    return warned


def overdue_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Mark open assignments past their deadline, once each, with an audit row and a message to
    the handlers and whoever assigned them."""
    now = now or timezone.now()
    late = Assignment.objects.filter(
        Q(state__in=OPEN_ASSIGNMENT_STATES), due_at__lte=now, overdue_at__isnull=True
    ).values_list("pk", flat=True)[:limit]
    marked = 0
    for pk in list(late):
        with transaction.atomic():
            if Assignment.objects.filter(pk=pk, overdue_at__isnull=True).update(overdue_at=now) != 1:
                continue  # another worker won
            assignment = Assignment.objects.select_related(
                "entry__agency", "entry__document", "unit", "person", "assigned_by"
            ).get(pk=pk)
            entry = assignment.entry
            audit(
                AuditEvent.DOCUMENT_OVERDUE,
                by=None,
                target=entry,
                scope=entry.agency,
                assignment=pk,
                due_at=assignment.due_at.isoformat() if assignment.due_at else None,
            )
            tell(
                [*people_of(assignment), assignment.assigned_by],
                kind="documents.overdue",
                subject=_("Overdue: %(doc)s") % {"doc": entry.document},
                entry=entry,
                body=_("The deadline was %(due)s.") % {"due": local_text(assignment.due_at)},
            )
            marked += 1
    return marked


def documents_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the document watch, for the scheduler."""
    return {
        "documents_submit_warned": submission_clock_sweep(now=now),
        "documents_due_warned": deadline_warning_sweep(now=now),
        "documents_overdue_marked": overdue_sweep(now=now),
    }
