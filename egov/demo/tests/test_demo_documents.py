"""The demo's office work: documents in every state at each demo agency, and the printed
document logins sign in and find their work."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.services import audit_verify
from egov.demo.documents import DOCUMENTS_JOURNEY, PEOPLE
from egov.demo.loader import DEMO_PASSWORD, REORG_ON, demo_logins, load_demo
from egov.documents.models import (
    Assignment,
    Document,
    DocumentProfile,
    DraftState,
    Entry,
    EntryState,
    Register,
    WorkFile,
)
from egov.documents.permissions import documents_visible_to, entries_visible_to

END = dt.datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_documents_in_every_state_with_working_logins() -> None:
    load_demo(dossiers_per_year=40, end=END)
    assert set(Entry.objects.values_list("state", flat=True)) >= {
        EntryState.REGISTERED, EntryState.SUBMITTED, EntryState.IN_PROGRESS, EntryState.DONE, EntryState.FILED,
    }  # fmt: skip
    assert set(Document.objects.values_list("state", flat=True)) >= {
        DraftState.DRAFT, DraftState.IN_REVIEW, DraftState.APPROVED, DraftState.ISSUED,
    }  # fmt: skip
    assert Document.objects.count() >= 2000
    assert Assignment.objects.filter(state__in=["pending", "in_progress"], overdue_at__isnull=False).exists()
    assert WorkFile.objects.filter(state="open").exists() and WorkFile.objects.filter(state="closed").exists()
    # Old units worked until the reorganisation, new ones from it.
    agencies = Entry.objects.values_list("agency__valid_from", "agency__valid_to", "arrived_at")
    for valid_from, valid_to, arrived in agencies:
        day = arrived.astimezone(END.tzinfo).date()
        assert (valid_from is None or valid_from <= day) and (valid_to is None or day < valid_to)
    assert Entry.objects.filter(agency__valid_to=REORG_ON).exists()
    assert Entry.objects.filter(agency__valid_from=REORG_ON).exists()
    assert set(DocumentProfile.objects.values_list("abbreviation", flat=True)) >= {"UBND", "SYT", "SNV", "VP"}
    assert Register.objects.filter(kind="outgoing", code="QD").exists()
    assert audit_verify().ok
    printed = [login for login in demo_logins() if login.journey == DOCUMENTS_JOURNEY]
    assert [login.username for login in printed] == [p[0] for p in PEOPLE]
    for login in printed:
        _works(User.objects.get(username=login.username))


def _works(user: User) -> None:
    """The login signs in and finds the work of its role in its agency."""
    assert user.is_active and user.is_demo and user.check_password(DEMO_PASSWORD), user
    roles = set(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True))
    visible = entries_visible_to(user)
    if Role.CLERK in roles:
        assert visible.filter(registered_by=user).exists(), user
    if Role.AGENCY_LEADER in roles:
        assert visible.filter(submitted_to=user).exists(), user
    if Role.SPECIALIST in roles:
        assert Assignment.objects.filter(person=user).exists(), user
        assert documents_visible_to(user).filter(drafted_by=user).exists(), user
    if Role.HEAD_OF_DIVISION in roles:
        assert visible.exists(), user
