"""Incoming documents in an agency (văn bản đến), the leader's direction, the assignments of
handlers, their notes and extension requests, and delegation while a leader is away."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.documents.models.vocab import (
    AssignmentRole,
    AssignmentState,
    EntryState,
    ExtensionState,
    Medium,
)


class Entry(models.Model):
    """A document as received and registered by one agency (văn bản đến): its arrival number in
    the agency's incoming register for the year, the statutory clock for putting it before the
    leader (same day, at the latest the next working day; urgent ones at once), and the handling
    that follows. The same :class:`Document` may be an entry in many agencies."""

    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="entries")
    agency = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="document_entries")
    register = models.ForeignKey(
        "documents.Register", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"))
    medium = models.CharField(_("received"), max_length=12, choices=Medium.choices)
    state = models.CharField(_("state"), max_length=12, choices=EntryState.choices)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The sender is told the same day that the document arrived (sent by the exchange issue).
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    # Clock 1: before the leader.
    submit_due_at = models.DateTimeField(_("to be submitted by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submit_warned_at = models.DateTimeField(null=True, blank=True)
    # Clock 2: the handling deadline from the direction (the lead's assignment).
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    places_to = models.CharField(_("sent on to"), max_length=1000, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=1000, blank=True)
    # A possible duplicate found at registration (same identifier, or number + notation + issuer).
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="documents_entry_number_unique",
            ),
            # One live copy per agency; a returned one may arrive again.
            models.UniqueConstraint(
                fields=["agency", "document"],
                condition=~Q(state=EntryState.RETURNED),
                name="documents_entry_once_per_agency",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-arrived_at"], name="documents_entry_queue_idx"),
            models.Index(fields=["register", "year", "-arrival_number"], name="documents_entry_register_idx"),
            models.Index(fields=["state", "submit_due_at"], name="documents_entry_submit_idx"),
            models.Index(fields=["state", "due_at"], name="documents_entry_due_idx"),
        ]

    def __str__(self) -> str:
        number = f"{self.arrival_number}" if self.arrival_number else "—"
        return f"{number} · {self.document}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:entry", kwargs={"pk": self.pk})


class Direction(models.Model):
    """The leader's direction on an incoming document (bút phê, ý kiến chỉ đạo): text, deadline
    and the assignments it creates. A head forwarding down the hierarchy writes a direction under
    the assignment they received (``parent``)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="directions")
    parent = models.ForeignKey(
        "documents.Assignment", on_delete=models.PROTECT, null=True, blank=True, related_name="directions"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set when the direction was given for somebody else under a delegation.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("direction"), max_length=2000, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["entry_id", "at"]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.text[:60]}"


class Assignment(models.Model):
    """One handler's share of an incoming document (phân công): lead (exactly one per
    direction), co-handler or for information; a unit or a person; its own deadline."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="assignments")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=6, choices=AssignmentRole.choices)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.PENDING
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Set once by the overdue sweep (a conditional update: two workers, one action).
    overdue_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False), name="documents_assignment_target"
            ),
            models.UniqueConstraint(
                fields=["direction"], condition=Q(role=AssignmentRole.LEAD), name="documents_one_lead"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "state", "due_at"], name="documents_asg_person_idx"),
            models.Index(fields=["unit", "state", "due_at"], name="documents_asg_unit_idx"),
            models.Index(fields=["state", "due_at"], name="documents_asg_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.get_role_display()} · {self.person or self.unit}"


class NoteKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    OPINION = "opinion", _("Opinion")
    DONE = "done", _("Reported done")
    ACCEPTED = "accepted", _("Completion accepted")
    REOPENED = "reopened", _("Completion not accepted")


class HandlingNote(models.Model):
    """What a handler records on an assignment: progress, an opinion (co-handlers' opinions are
    what the lead builds on), the report that it is done; files may be attached."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("text"), max_length=4000)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("handling note")
        verbose_name_plural = _("handling notes")
        ordering = ["assignment_id", "at"]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.kind}"


class ExtensionRequest(models.Model):
    """A handler's request for more time (xin gia hạn), with its reason; the assigner decides."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=1000)
    due_at = models.DateTimeField(_("requested deadline"))
    state = models.CharField(max_length=8, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(state=ExtensionState.PENDING),
                name="documents_one_pending_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.due_at:%Y-%m-%d}"


class Delegation(models.Model):
    """While a leader is away (from/to dates), their inbox goes to a delegate (ủy quyền xử lý).
    Created and revoked through audited services."""

    principal = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="documents_delegation_dates"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("delegate")), name="documents_delegation_not_self"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "starts_on", "ends_on"], name="documents_delegate_idx")]

    def __str__(self) -> str:
        return f"{self.principal} → {self.delegate} ({self.starts_on:%d/%m}–{self.ends_on:%d/%m})"
