"""Every event the code records is a member of AuditEvent, so it has one name and one label."""

import pytest

from egov.audit.models import AuditEvent
from egov.audit.selectors import event_choices


@pytest.mark.parametrize(
    "event",
    [
        "auth.otp_enrolment_code_issued",
        "auth.otp_enrolment_code_used",
        "dossier.supplement_submitted",
        "portal.account_verified",
        "portal.profile_saved",
        "portal.draft_submitted",
        "portal.dossier_rated",
        "portal.feedback_sent",
        "portal.feedback_answered",
    ],
)
def test_events_once_written_as_plain_strings_are_audit_events(event: str) -> None:
    assert AuditEvent(event).label
    assert event in dict(event_choices())


def test_the_audit_filter_offers_exactly_the_audit_events() -> None:
    assert {key for key, _label in event_choices()} == {e.value for e in AuditEvent}
