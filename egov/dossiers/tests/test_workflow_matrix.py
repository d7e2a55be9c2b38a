"""Who may take which action on a dossier: persona × state × action, through the page and the API.

``ALLOWED`` is the rule of docs/one-stop.md written out by hand. For every cell the test checks
that the workflow table (``available_actions``) says the same, that the page's buttons are those
actions, and that a POST to the page and to the API succeeds exactly when the table allows it and
otherwise changes nothing (404 for a dossier the persona may not see, 403 for a forbidden action,
422 for an action the state does not allow). Each POST runs in a savepoint rolled back afterwards,
so every state is built once per test through the real services (``factories.dossier_in_state``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from conftest import Province, sign_in
from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import dossier_in_state
from egov.dossiers.views import ACTIONS
from egov.dossiers.workflow import API_ACTIONS, RULES, Action, available_actions
from egov.orgs.models import Unit, UnitKind

PERSONAS = [
    "officer_a1",  # one-stop officer of the receiving counter
    "officer_b1",  # one-stop officer of another commune
    "specialist",  # specialist of the resolving committee (step 2's role)
    "leader",  # chairman of the resolving committee (the signing step)
    "head",  # head of division over the resolving committee
    "catalogue",  # catalogue officer of the province
    "unit_admin",  # staff administrator of the district
    "auditor",  # auditor of the province (reads, never acts)
    "citizen",  # the applicant, with an account
    "anonymous",
]
SEES = {"officer_a1", "specialist", "leader", "head", "auditor"}
MANAGERS = {"officer_a1", "specialist", "leader", "head"}

STATES = [
    "registered",
    "early_supplement",
    "step1",
    "step2",
    "step3",
    "supplement",
    "resolved",
    "returned",
    "withdrawn",
]

# The rule, by hand: (state, action) → who may. Every other cell is refused.
ALLOWED: dict[tuple[str, Action], set[str]] = {
    ("registered", Action.ACCEPT): {"officer_a1"},
    ("registered", Action.REQUEST_PAPERS): {"officer_a1"},
    ("registered", Action.REFUSE): {"officer_a1"},
    # Papers asked for before acceptance: no due time to extend; resumed, it waits to be accepted.
    ("early_supplement", Action.SUBMIT_SUPPLEMENT): {"citizen"},
    **{("early_supplement", a): MANAGERS for a in (Action.RESUME, Action.STOP, Action.WITHDRAW)},
    # Sent back to the counter's intake step: the one-stop officer's again (nobody takes it over).
    ("step1", Action.FORWARD): {"officer_a1"},
    ("step1", Action.ASSIGN): {"leader", "head"},
    ("step2", Action.ASSIGN): {"leader", "head"},
    ("step2", Action.FORWARD): {"specialist", "leader", "head"},
    ("step2", Action.SEND_BACK): {"specialist", "leader", "head"},
    # Step 2 does not decide: the decision is the leader's signing step (step 3).
    ("step3", Action.ASSIGN): {"leader"},
    ("step3", Action.SEND_BACK): {"leader"},
    ("step3", Action.DECIDE): {"leader"},
    ("resolved", Action.RETURN): {"officer_a1"},
    # The applicant's own act, from the portal (neither a back-office button nor the staff API).
    ("supplement", Action.SUBMIT_SUPPLEMENT): {"citizen"},
    **{("step1", a): MANAGERS for a in (Action.PAUSE, Action.EXTEND, Action.STOP, Action.WITHDRAW)},
    **{("step2", a): MANAGERS for a in (Action.PAUSE, Action.EXTEND, Action.STOP, Action.WITHDRAW)},
    **{("step3", a): MANAGERS for a in (Action.PAUSE, Action.EXTEND, Action.STOP, Action.WITHDRAW)},
    **{("supplement", a): MANAGERS for a in (Action.RESUME, Action.EXTEND, Action.STOP, Action.WITHDRAW)},
}
PAGE_ACTIONS = [a for a in RULES if a in ACTIONS]


def test_the_matrix_covers_every_action_of_the_table() -> None:
    assert set(PAGE_ACTIONS) | set(API_ACTIONS) == set(RULES) - {Action.SUBMIT_SUPPLEMENT}
    assert {a for _s, a in ALLOWED} <= set(RULES)


@pytest.fixture
def people(province: Province, personas: dict[str, Any], commune_staff: dict[str, Any]) -> dict[str, Any]:
    committee = Unit.objects.get(parent=province.commune_a1, kind=UnitKind.PEOPLES_COMMITTEE)

    def person(username: str, unit: Unit, role: str) -> Any:
        user = accounts.user_create(username=username, full_name=username, by=None)
        accounts.role_grant(user=user, unit=unit, role=role, by=None)
        return user

    return {
        "officer_a1": personas["officer_a1"],
        "officer_b1": personas["officer_b1"],
        "specialist": commune_staff["specialist"],
        "leader": commune_staff["agency_leader"],
        "head": person("truongphong.a1", committee, Role.HEAD_OF_DIVISION),
        "catalogue": person("danhmuc", province.province, Role.CATALOGUE_OFFICER),
        "unit_admin": personas["unit_admin_a"],
        "auditor": person("kiemtra", province.province, Role.AUDITOR),
        "citizen": personas["citizen"],
        "anonymous": None,
    }


def _build(state: str, procedure: Any, province: Province, people: dict[str, Any]) -> Dossier:
    return dossier_in_state(
        state,
        unit=province.one_stop_a1,
        version=procedure,
        officer=people["officer_a1"],
        specialist=people["specialist"],
        leader=people["leader"],
        applicant_user=people["citizen"],
    )


_HOLDER = {Role.AGENCY_LEADER: "leader", Role.ONE_STOP_OFFICER: "officer_a1"}


def _input(action: Action, dossier: Dossier, people: dict[str, Any]) -> dict[str, Any]:
    """A valid input for the action, so that an allowed POST succeeds."""
    step = dossier.current_step
    later = timezone.localtime(timezone.now() + dt.timedelta(days=30)).replace(second=0, microsecond=0)
    data: dict[str, Any] = {
        Action.ACCEPT: {},
        Action.REQUEST_PAPERS: {"items": "Bản chính giấy chứng sinh", "reason": "Bản chụp mờ"},
        Action.REFUSE: {"reason": "Thủ tục không thuộc thẩm quyền"},
        Action.ASSIGN: {"to": people[_HOLDER.get(step.role if step else "", "specialist")].pk},
        Action.FORWARD: {"note": "Đạt"},
        Action.SEND_BACK: {"to_order": (step.order - 1) if step else 1, "reason": "Thiếu thẩm định"},
        Action.DECIDE: {"outcome": "approved", "reason": ""},
        Action.PAUSE: {"kind": "supplement", "items": "Giấy chứng sinh", "reason": "Bản sao mờ"},
        Action.RESUME: {"note": "Đã nhận"},
        Action.EXTEND: {"new_due_at": later, "reason": "Chờ xác minh"},
        Action.STOP: {"reason": "Không đủ điều kiện"},
        Action.WITHDRAW: {"reason": "Công dân xin rút"},
        Action.RETURN: {"received_by": "Nguyễn Văn Bình", "tracking": ""},
        # No state here has a result file: signing is refused everywhere (test_result_signing.py).
        Action.SIGN_RESULT: {},
        Action.SEAL_RESULT: {},
    }[action]
    if step is not None:
        data["step_seq"] = step.seq
    return data


def _page_post(client: Client, dossier: Dossier, action: Action, data: dict[str, Any]) -> int:
    form = dict(data)
    if "new_due_at" in form:
        form["new_due_at"] = form["new_due_at"].strftime("%Y-%m-%dT%H:%M")  # as the date picker sends it
    # Every action's fields carry its name (unique ids on the page).
    form = {f"{action}-{k}": v for k, v in form.items()}
    return client.post(f"/dossiers/{dossier.pk}/{action}/", form).status_code


def _api_post(client: Client, dossier: Dossier, action: Action, data: dict[str, Any]) -> int:
    body = {k: v for k, v in data.items() if k not in {"step_seq", "to"}}
    if "new_due_at" in body:
        body["new_due_at"] = body["new_due_at"].isoformat()
    return client.post(
        f"/api/v1/dossiers/{dossier.pk}/{action}", body, content_type="application/json"
    ).status_code


def _fingerprint(dossier: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return (fresh.state, fresh.current_step_id, fresh.due_at, fresh.events.count())


def _buttons(client: Client, dossier: Dossier) -> set[str]:
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    return {a for a in PAGE_ACTIONS if f'action="/dossiers/{dossier.pk}/{a}/"' in page}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.slow
def test_page_api_and_table_agree(
    state: str,
    procedure: Any,
    province: Province,
    people: dict[str, Any],
    login_as: Callable[[str], Any],
) -> None:
    dossier = _build(state, procedure, province, people)
    before = _fingerprint(dossier)
    for persona in PERSONAS:
        user = people[persona]
        client = Client()
        if user is not None:
            sign_in(client, user)
        expected = {a for a in RULES if persona in ALLOWED.get((state, a), set())}
        assert set(available_actions(user, dossier)) == expected, persona
        if persona in SEES:
            assert _buttons(client, dossier) == expected & set(PAGE_ACTIONS), persona
        for action in RULES:
            channels = [("page", _page_post)] if action in ACTIONS else []
            channels += [("api", _api_post)] if action in API_ACTIONS else []
            codes = {}
            for channel, post in channels:
                with transaction.atomic():
                    status = post(client, dossier, action, _input(action, dossier, people))
                    changed = _fingerprint(dossier) != before
                    transaction.set_rollback(True)
                codes[channel] = status
                cell = f"{persona} {action} via {channel} in {state}: {status}"
                if action in expected:
                    assert status == (302 if channel == "page" else 200) and changed, cell
                    continue
                assert not changed, cell
                if persona == "anonymous":
                    assert status == (302 if channel == "page" else 401), cell
                elif persona not in SEES:
                    assert status == 404, cell
                else:
                    assert status in {403, 422}, cell
            if len(codes) == 2 and action not in expected and persona != "anonymous":
                assert codes["page"] == codes["api"], f"{persona} {action} in {state}: {codes}"
