"""A dossier in any state the matrices use, in one call, reached the way users reach it.

``dossier_in_state("resolved", unit=…, version=…, officer=…, specialist=…, leader=…)`` drives the
real services (online registration or counter reception, then accept, forward, send back, pause,
decide, return…), so the steps, events, audit entries and due times are those a user's clicks
leave behind; no row is written around the services.

Why a plain function and not factory-boy: factory-boy earns its keep building model rows from
declarations (sequences, sub-factories, lazy attributes). Here no row is declared: a state is a
sequence of service calls by named people, so a ``factory.Factory`` would be a ``_create`` holding
this same function, plus a dependency and a metaclass to read past. The dependency, declared and
never used, was dropped from the dev group (#23).
"""

from __future__ import annotations

from typing import Any

from conftest import APPLICANT, PAPERS
from egov.catalog.models import ProcedureVersion
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.orgs.models import Unit

#: Before acceptance (an online submission): registered, papers asked for, or refused.
ONLINE_ONLY = ("registered", "early_supplement", "refused")
#: After reception; step 2 is where a dossier received at the counter starts.
PROCESSING = ("step1", "step2", "step3", "supplement", "resolved", "returned", "withdrawn")
STATES = ONLINE_ONLY + PROCESSING


def dossier_in_state(
    state: str,
    *,
    unit: Unit,
    version: ProcedureVersion,
    officer: Any,
    specialist: Any = None,
    leader: Any = None,
    online: bool = False,
    result_file: Any = None,
    **intake: Any,
) -> Dossier:
    """The dossier, fresh from the database, in ``state``.

    ``officer`` is a one-stop officer of ``unit`` (accepts, receives, pauses, withdraws, returns),
    ``specialist`` holds step 2 (forwards, sends back), ``leader`` signs at step 3 (decides).
    A processing state starts from a counter reception unless ``online`` (then an online
    registration accepted by the officer); ``intake`` overrides the reception's or registration's
    arguments (``applicant``, ``papers``, ``return_method``, ``files``, ``applicant_user``…),
    ``result_file`` goes with the decision."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; one of {STATES}")
    kwargs: dict[str, Any] = {"applicant": APPLICANT, "papers": PAPERS, "return_method": "counter"}
    if state in ONLINE_ONLY or online:
        kwargs["applicant_user"] = None
        kwargs.update(intake)
        dossier = services.dossier_register_online(unit=unit, version=version, **kwargs)
        if state == "early_supplement":
            services.dossier_request_papers(dossier=dossier, items="Giấy", reason="Thiếu", by=officer)
        elif state == "refused":
            services.dossier_refuse_online(dossier=dossier, reason="Không thuộc thẩm quyền", by=officer)
        if state in ONLINE_ONLY:
            return Dossier.objects.get(pk=dossier.pk)
        services.dossier_accept(dossier=dossier, by=officer)
    else:
        kwargs.update(intake)
        dossier = services.dossier_receive(
            unit=unit, version=version, channel=kwargs.pop("channel", "direct"), by=officer, **kwargs
        )
    if state == "supplement":
        services.dossier_pause(dossier=dossier, kind="supplement", reason="Thiếu", items="Giấy", by=officer)
    elif state == "step1":
        services.step_send_back(dossier=dossier, to_order=1, reason="Thiếu giấy", by=specialist)
    elif state == "withdrawn":
        services.dossier_withdraw(dossier=dossier, reason="Rút", by=officer)
    elif state in {"step3", "resolved", "returned"}:
        services.step_forward(dossier=dossier, by=specialist)
        if state != "step3":
            services.dossier_decide(
                dossier=dossier, outcome="approved", reason="", by=leader, result_file=result_file
            )
        if state == "returned":
            services.dossier_return(dossier=dossier, by=officer, received_by="Nguyễn Văn Bình")
    return Dossier.objects.get(pk=dossier.pk)
