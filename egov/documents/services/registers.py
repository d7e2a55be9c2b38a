"""Registers (sổ văn bản) and office-work settings (cấu hình văn thư) of an agency, set by its
unit administrator (or a system administrator). Registers are never deleted: one that is no
longer used is put out of use, so its numbers and printed pages stay as they were."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import Document, DocumentProfile, DocumentType, Entry, Register, RegisterKind
from egov.documents.permissions import AGENCY_KINDS, agency_of, can_administer
from egov.orgs.models import Unit

# The roles a review chain may name, in the order the drafter's unit is searched upwards.
REVIEW_ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER)
# Letters (with Vietnamese ones such as Đ), digits and "&": the notation separates with "-" and "/".
_ABBREVIATION = re.compile(r"^[^\W_]+(&[^\W_]+)*\Z")
_CODE = re.compile(r"^[A-Za-z0-9._]+\Z")


def require_administer(actor: Actor, unit: Unit) -> None:
    if not can_administer(actor, unit):
        raise ActionForbidden(_("You do not administer the office work of this agency."))


def _clean_register(
    *, agency: Unit, kind: str, name: str, code: str, document_types: Iterable[str]
) -> list[str]:
    if agency.kind not in AGENCY_KINDS:
        raise DocumentError(_("Only a People's Committee or a department keeps registers."), field="agency")
    if kind not in RegisterKind.values:
        raise DocumentError(_("Choose incoming or outgoing."), field="kind")
    if not name:
        raise DocumentError(_("Give the register a name."), field="name")
    if len(name) > 200:
        raise DocumentError(_("The name is longer than 200 characters."), field="name")
    if not code:
        raise DocumentError(_("Give the register a code."), field="code")
    if len(code) > 20 or not _CODE.match(code):
        raise DocumentError(
            _("The code has at most 20 letters, digits, dots or underscores, without spaces."), field="code"
        )
    types = list(dict.fromkeys(document_types))
    unknown = [t for t in types if t not in DocumentType.values]
    if unknown:
        raise DocumentError(
            _("Unknown document type: %(types)s.") % {"types": ", ".join(unknown)}, field="document_types"
        )
    return types


def _in_use(register: Register) -> bool:
    return (
        Entry.objects.filter(register=register).exists()
        or Document.objects.filter(register=register).exists()
    )


@transaction.atomic
def register_save(
    *,
    agency: Unit,
    by: Actor,
    kind: str,
    name: str,
    code: str,
    is_secret: bool = False,
    document_types: Iterable[str] = (),
    is_active: bool = True,
    register: Register | None = None,
) -> Register:
    """Create a register of the agency (``register`` None) or change one: rename, change its
    code or types, put it out of use or back. A register that holds numbers keeps its kind and
    its secret flag (its numbers were given under them)."""
    require_administer(by, agency)
    name, code = name.strip(), code.strip().upper()
    types = _clean_register(agency=agency, kind=kind, name=name, code=code, document_types=document_types)
    clash = Register.objects.select_for_update().filter(agency=agency, code__iexact=code)
    if register is not None:
        if register.agency_id != agency.pk:
            raise DocumentError(_("This register is not one of the agency's registers."), field="code")
        clash = clash.exclude(pk=register.pk)
    if clash.exists():
        raise DocumentError(
            _("The code “%(code)s” is already used by another register of this agency.") % {"code": code},
            field="code",
        )
    before = None
    if register is None:
        register = Register(agency=agency, created_by=by)
    else:
        register = Register.objects.select_for_update().get(pk=register.pk)
        before = _register_state(register)
        if _in_use(register) and (register.kind != kind or register.is_secret != is_secret):
            raise DocumentError(
                _("This register already holds numbers: its kind and secret flag cannot change."),
                field="kind",
            )
    register.kind, register.name, register.code = kind, name, code
    register.is_secret, register.document_types, register.is_active = is_secret, types, is_active
    register.save()
    audit_record(
        event=AuditEvent.REGISTER_SAVED,
        actor=by,
        target=register,
        scope_path=agency.path,
        before=before,
        after=_register_state(register),
    )
    return register


def _register_state(register: Register) -> dict[str, Any]:
    return {
        "kind": register.kind,
        "name": register.name,
        "code": register.code,
        "is_secret": register.is_secret,
        "document_types": list(register.document_types),
        "is_active": register.is_active,
    }


def _clean_profile(abbreviation: str, review_roles: Iterable[str]) -> list[str]:
    if not abbreviation:
        raise DocumentError(_("Give the abbreviation printed in notations."), field="abbreviation")
    if len(abbreviation) > 20 or not _ABBREVIATION.match(abbreviation):
        raise DocumentError(
            _("The abbreviation has at most 20 letters or digits, without spaces, “-” or “/”."),
            field="abbreviation",
        )
    roles = list(review_roles)
    unknown = [r for r in roles if r not in {str(x) for x in REVIEW_ROLES}]
    if unknown:
        raise DocumentError(
            _("Unknown role in the review chain: %(roles)s.") % {"roles": ", ".join(unknown)},
            field="review_roles",
        )
    if len(set(roles)) != len(roles):
        raise DocumentError(_("A role appears twice in the review chain."), field="review_roles")
    return roles


@transaction.atomic
def document_profile_save(
    *,
    unit: Unit,
    by: Actor,
    abbreviation: str,
    review_roles: Iterable[str] = (),
    done_needs_acceptance: bool = False,
) -> DocumentProfile:
    """Save a unit's office-work settings: the abbreviation in notations (an agency's, or a
    division's that follows it), the review chain in order, and whether the assigner accepts a
    reported completion. The unit is the agency or one of its divisions."""
    require_administer(by, agency_of(unit))
    abbreviation = abbreviation.strip()
    roles = _clean_profile(abbreviation, review_roles)
    profile = DocumentProfile.objects.select_for_update().filter(unit=unit).first()
    before = None
    if profile is None:
        profile = DocumentProfile(unit=unit)
    else:
        before = {
            "abbreviation": profile.abbreviation,
            "review_roles": list(profile.review_roles),
            "done_needs_acceptance": profile.done_needs_acceptance,
        }
    profile.abbreviation, profile.review_roles = abbreviation, roles
    profile.done_needs_acceptance = done_needs_acceptance
    profile.save()
    audit_record(
        event=AuditEvent.DOCUMENT_PROFILE_SAVED,
        actor=by,
        target=profile,
        scope_path=agency_of(unit).path,
        before=before,
        after={
            "abbreviation": abbreviation,
            "review_roles": roles,
            "done_needs_acceptance": done_needs_acceptance,
        },
    )
    return profile
