"""Who may do what in the citizen portal's back office (answering feedback)."""

from __future__ import annotations

from egov.accounts.permissions import is_staff_user, is_system_admin
from egov.accounts.types import Visitor
from egov.dossiers.permissions import handles_dossiers_of
from egov.portal.models import Feedback


def can_answer_feedback(user: Visitor, feedback: Feedback) -> bool:
    """System administrators answer everything (feedback about a procedure alone reaches only
    them); otherwise the staff handling the dossier's receiving or resolving unit. Auditors read
    feedback with the dossiers but never answer for the agency."""
    if not is_staff_user(user):
        return False
    if is_system_admin(user):
        return True
    dossier = feedback.dossier
    if dossier is None:
        return False
    return handles_dossiers_of(user, dossier.receiving_unit) or handles_dossiers_of(
        user, dossier.resolving_unit
    )
