"""Every change to a dossier: one atomic, audited service per transition of the state machine.

The services are grouped by concern in the modules of this package; this module re-exports the
names other apps and the tests use, so ``from egov.dossiers import services`` keeps working."""

from __future__ import annotations

from egov.dossiers import clock
from egov.dossiers.models import FINISHED_STATES
from egov.dossiers.services.closing import dossier_decide, dossier_return, dossier_stop, dossier_withdraw
from egov.dossiers.services.common import (
    ActionForbidden,
    DossierError,
    WrongState,
    _timeliness,
    agency_code_for,
    dossier_attach_file,
    dossier_code_next,
)
from egov.dossiers.services.intake import (
    ApplicantIn,
    PaperIn,
    dossier_accept,
    dossier_receive,
    dossier_refuse_intake,
    dossier_refuse_online,
    dossier_register_online,
    dossier_request_papers,
)
from egov.dossiers.services.pauses import (
    dossier_extend,
    dossier_pause,
    dossier_resume,
    dossier_supplement_submit,
)
from egov.dossiers.services.steps import step_assign, step_forward, step_send_back
from egov.dossiers.services.sweep import overdue_sweep

__all__ = [
    "FINISHED_STATES",
    "ActionForbidden",
    "ApplicantIn",
    "DossierError",
    "PaperIn",
    "WrongState",
    "_timeliness",
    "agency_code_for",
    "clock",
    "dossier_accept",
    "dossier_attach_file",
    "dossier_code_next",
    "dossier_decide",
    "dossier_extend",
    "dossier_pause",
    "dossier_receive",
    "dossier_refuse_intake",
    "dossier_refuse_online",
    "dossier_register_online",
    "dossier_request_papers",
    "dossier_resume",
    "dossier_return",
    "dossier_stop",
    "dossier_supplement_submit",
    "dossier_withdraw",
    "overdue_sweep",
    "step_assign",
    "step_forward",
    "step_send_back",
]
