"""One table decides who may act on a dossier, in which state, under which conditions.

Every service that changes a dossier calls :func:`require` first; the dossier page draws its
buttons and the API answers from :func:`available_actions`. Nothing else decides (docs/one-stop.md,
"Who does what").

Who may act is always a person: ``by=None`` (or any account that is not an active staff member or
the dossier's own applicant) is refused like anybody else. The demo generator and the bulk loader
write their rows directly and never go through these services, so no "system" actor exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, role_paths
from egov.accounts.types import Visitor
from egov.catalog.selectors import version_rules
from egov.dossiers.errors import ActionForbidden, WrongState
from egov.dossiers.models import OPEN_STATES, PAUSED_STATES, Dossier, DossierState, StepStatus
from egov.orgs.models import Unit


class Action(StrEnum):
    """Everything one can do to a dossier once it exists; the values are the page's and API's names."""

    ACCEPT = "accept"
    # Before acceptance (online submissions): ask for papers, or refuse with form 03.
    REQUEST_PAPERS = "request_papers"
    REFUSE = "refuse"
    ASSIGN = "assign"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    DECIDE = "decide"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    STOP = "stop"
    WITHDRAW = "withdraw"
    RETURN = "return"
    SUBMIT_SUPPLEMENT = "submit_supplement"
    # The result's signatures (egov.dossiers.services.signing): the competent person's, then
    # the agency's with its seal when the agency's clerk releases it.
    SIGN_RESULT = "sign_result"
    SEAL_RESULT = "seal_result"


# Senior roles take over the steps of the roles below them (a leader may sign for nobody above).
_RANK = {Role.CLERK: 1, Role.SPECIALIST: 1, Role.HEAD_OF_DIVISION: 2, Role.AGENCY_LEADER: 3}
_SIGNING_ROLES = (Role.AGENCY_LEADER, Role.HEAD_OF_DIVISION)


def _covers(user: Visitor, roles: set[str], unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in role_paths(user, roles))


def is_counter_officer(user: Visitor, unit: Unit) -> bool:
    """A one-stop officer of this counter (or of a unit above it)."""
    return is_staff_user(user) and _covers(user, {Role.ONE_STOP_OFFICER}, unit)


def _receiving_officer(user: Visitor, dossier: Dossier) -> bool:
    return is_counter_officer(user, dossier.receiving_unit)


def _manager(user: Visitor, dossier: Dossier) -> bool:
    """One-stop officers of the receiving unit and the staff of the resolving agency."""
    return _receiving_officer(user, dossier) or (
        is_staff_user(user)
        and _covers(
            user, {Role.AGENCY_LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST}, dossier.resolving_unit
        )
    )


def _active_step(dossier: Dossier) -> Any:
    step = dossier.current_step
    return step if step is not None and step.status == StepStatus.ACTIVE else None


def is_step_handler(user: Visitor, dossier: Dossier) -> bool:
    """The person the current step is assigned to, anyone holding its role over its unit, or a
    head or leader over that unit taking over a step of a lower role."""
    step = _active_step(dossier)
    if step is None or not is_staff_user(user):
        return False
    if step.assigned_to_id == user.pk or _covers(user, {step.role}, step.unit):
        return True
    rank = _RANK.get(step.role)
    seniors = {r.value for r in _SIGNING_ROLES if rank is not None and _RANK[r] > rank}
    return bool(seniors) and _covers(user, seniors, step.unit)


def can_assign_step(user: Visitor, dossier: Dossier) -> bool:
    """Heads of division and leaders over the step's unit assign it, but never a step of a
    role above their own (a head does not hand out the leader's signature)."""
    step = _active_step(dossier)
    if step is None or not is_staff_user(user):
        return False
    rank = _RANK.get(step.role, 0)
    assigners = {r.value for r in _SIGNING_ROLES if _RANK[r] >= rank}
    return bool(assigners) and _covers(user, assigners, step.unit)


def _working_orders(dossier: Dossier) -> list[tuple[int, str]]:
    """(order, role) of the steps that do the work: all but a final hand-back at the counter."""
    steps = [(t.order, t.role) for t in version_rules(dossier.procedure_version).steps_at(dossier.level)]
    if len(steps) > 1 and steps[-1][1] == Role.ONE_STOP_OFFICER:
        steps = steps[:-1]
    return steps


def deciding_order(dossier: Dossier) -> int | None:
    """The step that records the decision: the last agency leader's step (the signature), else
    the last head of division's, else the last working step."""
    steps = _working_orders(dossier)
    for role in _SIGNING_ROLES:
        signing = [order for order, r in steps if r == role]
        if signing:
            return signing[-1]
    return steps[-1][0] if steps else None


def _before_decision(user: Visitor, dossier: Dossier) -> bool:
    step = _active_step(dossier)
    decides = deciding_order(dossier)
    return (
        step is not None and decides is not None and step.order < decides and is_step_handler(user, dossier)
    )


def _at_decision(user: Visitor, dossier: Dossier) -> bool:
    step = _active_step(dossier)
    return step is not None and step.order == deciding_order(dossier) and is_step_handler(user, dossier)


def _has_earlier_step(user: Visitor, dossier: Dossier) -> bool:
    step = _active_step(dossier)
    return (
        step is not None
        and any(order < step.order for order, _role in _working_orders(dossier))
        and is_step_handler(user, dossier)
    )


def _applicant(user: Visitor, dossier: Dossier) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and dossier.applicant_user_id == user.pk
    )


@dataclass(frozen=True)
class Rule:
    states: frozenset[str]
    allowed: Callable[[Any, Dossier], bool]
    # The staff API exposes the action (assigning needs a person picked on the page; the
    # supplement is the citizen's, sent from the portal).
    api: bool = True
    # A further condition on the dossier as it stands, refused like a wrong state (422).
    when: Callable[[Dossier], bool] | None = None

    def applies(self, dossier: Dossier) -> bool:
        return dossier.state in self.states and (self.when is None or self.when(dossier))


def _has_due_time(dossier: Dossier) -> bool:
    """A supplement asked for before acceptance has no due time to extend."""
    return dossier.due_at is not None


_PROCESSING = frozenset({DossierState.PROCESSING})

RULES: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({DossierState.REGISTERED}), _receiving_officer),
    Action.REQUEST_PAPERS: Rule(frozenset({DossierState.REGISTERED}), _receiving_officer),
    Action.REFUSE: Rule(frozenset({DossierState.REGISTERED}), _receiving_officer),
    Action.ASSIGN: Rule(_PROCESSING, can_assign_step, api=False),
    Action.FORWARD: Rule(_PROCESSING, _before_decision),
    Action.SEND_BACK: Rule(_PROCESSING, _has_earlier_step),
    Action.DECIDE: Rule(_PROCESSING, _at_decision),
    Action.PAUSE: Rule(_PROCESSING, _manager),
    Action.RESUME: Rule(frozenset(PAUSED_STATES), _manager),
    Action.EXTEND: Rule(frozenset(OPEN_STATES), _manager, when=_has_due_time),
    Action.STOP: Rule(frozenset(OPEN_STATES), _manager),
    Action.WITHDRAW: Rule(frozenset(OPEN_STATES), _manager),
    # Only after a decision, and only at the counter that received the dossier.
    Action.RETURN: Rule(frozenset({DossierState.RESOLVED}), _receiving_officer),
    Action.SUBMIT_SUPPLEMENT: Rule(frozenset({DossierState.SUPPLEMENT}), _applicant, api=False),
}


def _competent_person(user: Visitor, dossier: Dossier) -> bool:
    """Whoever recorded the decision, or anyone holding the deciding step's role (leader, head
    of division) or the agency leader's over the resolving agency."""
    if not is_staff_user(user):
        return False
    decides = deciding_order(dossier)
    role = next((r for order, r in _working_orders(dossier) if order == decides), Role.AGENCY_LEADER)
    if role not in {r.value for r in _SIGNING_ROLES}:
        role = Role.AGENCY_LEADER
    finished = dossier.steps.filter(order=decides, finished_by_id=user.pk).exists() if decides else False
    # A leader takes over a head of division's signature, never the other way round.
    return finished or _covers(user, {role, Role.AGENCY_LEADER.value}, dossier.resolving_unit)


def _agency_clerk(user: Visitor, dossier: Dossier) -> bool:
    """The resolving agency's clerk (văn thư), who applies the agency's signature and seal."""
    return is_staff_user(user) and _covers(user, {Role.CLERK}, dossier.resolving_unit)


def _result_to_sign(dossier: Dossier) -> bool:
    from egov.dossiers.services.signing import has_unsigned_result

    return has_unsigned_result(dossier)


def _result_to_seal(dossier: Dossier) -> bool:
    from egov.dossiers.services.signing import has_result_to_seal

    return has_result_to_seal(dossier)


_DECIDED = frozenset({DossierState.RESOLVED, DossierState.RETURNED})
RULES[Action.SIGN_RESULT] = Rule(_DECIDED, _competent_person, when=_result_to_sign)
RULES[Action.SEAL_RESULT] = Rule(_DECIDED, _agency_clerk, when=_result_to_seal)

API_ACTIONS = frozenset(a for a, r in RULES.items() if r.api)


def require(action: Action | str, actor: Any, dossier: Dossier) -> None:
    """Raise unless ``actor`` may take ``action`` on ``dossier`` as it is now (in the database)."""
    rule = RULES[Action(action)]
    # Who first: someone who may never do this learns nothing from the state (403); someone who
    # may, but not now, is told why (422).
    if not rule.allowed(actor, dossier):
        raise ActionForbidden(gettext("You may not do this on this dossier."))
    if not rule.applies(dossier):
        raise WrongState(
            gettext("This action is not possible while the dossier is “%(state)s”.")
            % {"state": dossier.get_state_display()}
        )


def available_actions(actor: Any, dossier: Dossier) -> list[Action]:
    """What ``actor`` may do on ``dossier`` now, in the table's order."""
    return [a for a, r in RULES.items() if r.applies(dossier) and r.allowed(actor, dossier)]


def require_counter(actor: Any, unit: Unit) -> None:
    """Receiving or refusing at a counter is for that counter's one-stop officers."""
    if not is_counter_officer(actor, unit):
        raise ActionForbidden(gettext("You do not receive dossiers at this counter."))
