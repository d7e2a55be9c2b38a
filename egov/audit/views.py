from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from egov.accounts.permissions import can_read_audit
from egov.accounts.types import AuthedRequest
from egov.audit.forms import AuditFilterForm
from egov.audit.selectors import (
    audit_entries_filtered,
    audit_rows,
    audit_units_for,
    event_choices,
    event_label,
    lockouts_visible_to,
    signin_failures_visible_to,
)

EXPORT_LIMIT = 100_000


def _filter_form(request: AuthedRequest) -> AuditFilterForm:
    if not can_read_audit(request.user):
        raise PermissionDenied
    return AuditFilterForm(request.GET, events=event_choices(), units=list(audit_units_for(request.user)))


def audit_list(request: AuthedRequest) -> HttpResponse:
    form = _filter_form(request)
    if not form.is_valid():
        context = {"form": form, "page": None, "query": ""}
        return render(request, "audit/list.html", context, status=422)
    qs = audit_entries_filtered(user=request.user, **form.filters())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = event_label(entry.event)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _text_cell(sheet: Any, value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is stored as text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def audit_export(request: AuthedRequest) -> HttpResponse:
    """The filtered trail as an .xlsx workbook (at most EXPORT_LIMIT entries, newest first)."""
    form = _filter_form(request)
    if not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "page": None, "query": ""}, status=422)
    from openpyxl import Workbook

    qs = audit_entries_filtered(user=request.user, **form.filters())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail")[:31])
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            _("No."),
            _("Time"),
            _("Actor"),
            _("Event"),
            _("Event key"),
            pgettext("audit", "Target"),
            _("IP address"),
            _("Request id"),
        ]
    )
    count = 0
    for row in audit_rows(qs, limit=EXPORT_LIMIT):
        sheet.append([_text_cell(sheet, v) for v in row])
        count += 1
    if count == EXPORT_LIMIT:
        sheet.append(
            [_("Only the newest %(n)s entries are included; narrow the filters.") % {"n": EXPORT_LIMIT}]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.xlsx"'
    return response


def signin_failures(request: AuthedRequest) -> HttpResponse:
    """Failed sign-ins recorded by django-axes (system administrators: all; auditors: their scope)."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    page = Paginator(signin_failures_visible_to(request.user), 50).get_page(request.GET.get("page"))
    counters = list(lockouts_visible_to(request.user)[:200])
    return render(request, "audit/signin_failures.html", {"page": page, "counters": counters})
