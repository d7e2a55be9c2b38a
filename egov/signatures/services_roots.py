"""Writes on the trust roots beyond adding one (:func:`egov.signatures.services.trust_root_add`):
upload from the administration page or the CLI, and retirement. Every change is audited in its
transaction and queues the re-check of reports made under the previous set of roots."""

from __future__ import annotations

from django.db import transaction

from egov.accounts.models import User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.signatures import permissions
from egov.signatures.checks import recheck_request
from egov.signatures.models import RootKind, TrustRoot
from egov.signatures.services import trust_root_add


@transaction.atomic
def trust_root_upload(
    *, certificate: bytes, name: str = "", kind: str = RootKind.OTHER, by: User | None
) -> TrustRoot:
    """Trust a root certificate (DER or PEM) and re-check stored reports; ``by`` None is the
    operator at the console. A root already there is trusted again if it was retired."""
    if by is not None:
        permissions.require(by, permissions.Action.TRUST_ROOTS)
    root = trust_root_add(certificate=certificate, name=name, kind=kind, by=by)
    if not root.is_active:
        root.is_active = True
        root.save(update_fields=["is_active"])
        audit_record(
            event=AuditEvent.TRUST_ROOT_CHANGED,
            actor=by,
            target=root,
            before={"is_active": False},
            after={"is_active": True, "sha256": root.sha256},
        )
    recheck_request()
    return root


@transaction.atomic
def trust_root_retire(*, root: TrustRoot, by: User | None) -> TrustRoot:
    """Stop trusting a root (kept for the record, never deleted) and re-check stored reports."""
    if by is not None:
        permissions.require(by, permissions.Action.TRUST_ROOTS)
    root = TrustRoot.objects.select_for_update().get(pk=root.pk)
    if not root.is_active:
        return root
    root.is_active = False
    root.save(update_fields=["is_active"])
    audit_record(
        event=AuditEvent.TRUST_ROOT_CHANGED,
        actor=by,
        target=root,
        before={"is_active": True},
        after={"is_active": False, "sha256": root.sha256},
    )
    recheck_request()
    return root
