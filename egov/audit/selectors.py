"""Reading the audit trail, scoped to the auditor's units."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from egov.accounts.permissions import audit_scope_paths, can_read_audit
from egov.audit.models import AuditEntry


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    paths = audit_scope_paths(user)
    qs = AuditEntry.objects.select_related("actor")
    if paths is None:
        return qs
    condition = Q()
    for path in paths:
        condition |= Q(scope_path__startswith=path)
    return qs.filter(condition)
