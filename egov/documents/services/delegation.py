"""Delegation while a leader is away (ủy quyền): from/to dates, their inbox goes to a person
of the same agency; the queues and the permission table follow ``delegators_of``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import Delegation
from egov.documents.permissions import AGENCY_KINDS, agency_of, is_leader_of
from egov.documents.services.common import audit
from egov.orgs.models import Unit

MAX_DAYS = 366


def leader_agencies(user: Actor) -> list[Unit]:
    """The agencies in which the user is a leader (whose inbox they may delegate)."""
    held = (
        RoleAssignment.objects.active()
        .filter(user_id=user.pk, role=Role.AGENCY_LEADER)
        .select_related("unit")
    )
    return [agency_of(r.unit) for r in held if r.unit.valid_to is None]


def _check(*, agency: Unit, principal: Actor, delegate: User, starts_on: dt.date, ends_on: dt.date) -> None:
    if agency.kind not in AGENCY_KINDS or not is_leader_of(principal, agency):
        raise ActionForbidden(_("Only a leader of the agency delegates their own inbox."))
    if delegate.pk == principal.pk:
        raise DocumentError(_("Choose somebody else to act for you."), field="delegate")
    in_agency = (
        RoleAssignment.objects.active()
        .filter(user_id=delegate.pk, unit__path__startswith=agency.path)
        .exists()
    )
    if not in_agency or not delegate.is_active:
        raise DocumentError(
            _("%(name)s does not work in %(agency)s.")
            % {"name": delegate.get_full_name(), "agency": agency.name},
            field="delegate",
        )
    if starts_on < timezone.localdate():
        raise DocumentError(_("The delegation cannot start before today."), field="starts_on")
    if ends_on < starts_on:
        raise DocumentError(_("The last day cannot be before the first."), field="ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise DocumentError(_("A delegation lasts at most one year."), field="ends_on")
    overlapping = Delegation.objects.filter(
        principal_id=principal.pk, revoked_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        raise DocumentError(_("You already delegated your inbox for some of these days."), field="starts_on")


@transaction.atomic
def delegation_create(
    *, agency: Unit, delegate: User, starts_on: dt.date, ends_on: dt.date, reason: str = "", by: Actor
) -> Delegation:
    """A leader hands their inbox to a person of the agency for the days given (inclusive)."""
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DocumentError(_("At most %(n)s characters.") % {"n": 500}, field="reason")
    _check(agency=agency, principal=by, delegate=delegate, starts_on=starts_on, ends_on=ends_on)
    delegation = Delegation.objects.create(
        principal=by,
        delegate=delegate,
        agency=agency,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=by,
        created_at=timezone.now(),
    )
    audit(
        AuditEvent.DOCUMENT_DELEGATION,
        by=by,
        target=delegation,
        scope=agency,
        delegate=delegate.pk,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    from egov.notifications.services import staff_message_send

    staff_message_send(
        recipient=delegate,
        kind="documents.delegation",
        subject=_("%(name)s delegated their document inbox to you") % {"name": by.get_full_name()},
        body=_("From %(start)s to %(end)s.")
        % {"start": f"{starts_on:%d/%m/%Y}", "end": f"{ends_on:%d/%m/%Y}"},
        related=delegation,
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, by: Actor) -> Delegation:
    """End a delegation early (the principal or who created it)."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if by.pk not in (delegation.principal_id, delegation.created_by_id):
        raise ActionForbidden(_("Only the leader who delegated may end the delegation."))
    if delegation.revoked_at is not None:
        raise DocumentError(_("This delegation has already ended."))
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    audit(AuditEvent.DOCUMENT_DELEGATION, by=by, target=delegation, scope=delegation.agency, revoked=True)
    return delegation
