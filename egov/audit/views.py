from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.accounts.permissions import can_read_audit
from egov.audit.selectors import audit_entries_visible_to


def audit_list(request: HttpRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise PermissionDenied
    qs = audit_entries_visible_to(request.user)
    event = request.GET.get("event", "").strip()
    if event:
        qs = qs.filter(event=event)
    page = Paginator(qs.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "event": event})
