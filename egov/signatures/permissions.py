"""Who may do what with keys, images and trust roots — the one table of the signature app.

Signing a document or a one-stop result is decided by the table of the app that owns it
(``egov.documents.workflow``, ``egov.dossiers.workflow``); this table covers what belongs to
the signature app itself. Services call :func:`require`; pages and the API draw from
:func:`allowed`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.permissions import is_staff_user, is_system_admin, role_paths
from egov.accounts.types import Visitor
from egov.orgs.models import Unit
from egov.signatures.errors import SignatureError


class Action(StrEnum):
    OWN_IMAGE = "own_image"  # upload one's own handwritten-signature image
    OWN_KEYS = "own_keys"  # see and register one's own signing keys (own device, token)
    AGENCY_KEYS = "agency_keys"  # register, retire and see an agency's keys
    AGENCY_SEAL = "agency_seal"  # upload an agency's seal image
    TRUST_ROOTS = "trust_roots"  # add, retire trust roots; re-check after a change
    CHECK_PUBLIC = "check_public"  # check a PDF on the public page (anyone, nothing stored)


class Forbidden(SignatureError):
    """The actor may not take this action (pages: 403, API: 403)."""


def _agency_admin(user: Visitor, unit: Unit | None) -> bool:
    if is_system_admin(user):
        return True
    if unit is None or not is_staff_user(user):
        return False
    return any(unit.path.startswith(p) for p in role_paths(user, {Role.UNIT_ADMIN}))


@dataclass(frozen=True)
class Rule:
    who: Callable[[Visitor, Unit | None], bool]
    description: str


RULES: dict[Action, Rule] = {
    Action.OWN_IMAGE: Rule(lambda u, _unit: is_staff_user(u), "any civil servant, for themselves"),
    Action.OWN_KEYS: Rule(lambda u, _unit: is_staff_user(u), "any civil servant, for themselves"),
    Action.AGENCY_KEYS: Rule(_agency_admin, "the agency's unit administrator, the system administrator"),
    Action.AGENCY_SEAL: Rule(_agency_admin, "the agency's unit administrator, the system administrator"),
    Action.TRUST_ROOTS: Rule(lambda u, _unit: is_system_admin(u), "the system administrator"),
    Action.CHECK_PUBLIC: Rule(lambda _u, _unit: True, "anyone, signed in or not"),
}


def allowed(user: Visitor, action: Action, unit: Unit | None = None) -> bool:
    return RULES[action].who(user, unit)


def require(user: Visitor, action: Action, unit: Unit | None = None) -> None:
    if not allowed(user, action, unit):
        raise Forbidden(_("You may not do this."))
