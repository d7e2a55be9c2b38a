"""The working calendar pages: a year at a glance, overrides, and a due-time calculator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.permissions import can_manage_units, is_staff_user
from egov.accounts.types import AuthedRequest
from egov.workcal import services
from egov.workcal.clock import due
from egov.workcal.core import Limit, LimitUnit, WorkcalError
from egov.workcal.forms import DueForm, OverrideForm
from egov.workcal.models import CalendarOverride, WorkCalendar
from egov.workcal.selectors import (
    calendar_from_record,
    calendar_year_exceptions,
    default_work_calendar,
    work_calendar_get,
)


def _calendar_or_404(request: AuthedRequest) -> WorkCalendar:
    if not is_staff_user(request.user):
        raise PermissionDenied
    pk = request.GET.get("calendar") or request.POST.get("calendar")
    record = work_calendar_get(pk=int(pk)) if pk and pk.isdigit() else default_work_calendar()
    if record is None:
        raise Http404
    return record


def calendar_year(request: AuthedRequest) -> HttpResponse:
    record = _calendar_or_404(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    cal = calendar_from_record(record)
    days = calendar_year_exceptions(cal, year)
    overrides = record.overrides.filter(date__year=year)
    may_edit = can_manage_units(request.user)
    override_form = OverrideForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if not may_edit or override_form is None:
            raise PermissionDenied
        if override_form.is_valid():
            data = override_form.cleaned_data
            services.calendar_override_set(calendar=record, by=request.user, **data)
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?calendar={record.pk}&year={data['date'].year}")
    due_form = DueForm(request.GET if "start" in request.GET else None)
    due_at = None
    if due_form.is_bound and due_form.is_valid():
        data = due_form.cleaned_data
        try:
            due_at = due(
                start=data["start"],
                limit=Limit(data["amount"], LimitUnit(data["unit"])),
                cal=cal,
                cutoff=data["cutoff"],
            )
        except WorkcalError as exc:
            due_form.add_error(None, str(exc))
    context = {
        "record": record,
        "year": year,
        "days": days,
        "overrides": overrides,
        "override_form": override_form,
        "due_form": due_form,
        "due_at": due_at,
        "may_edit": may_edit,
        "sessions": cal.sessions,
        "rest_days": sorted(cal.rest_weekdays),
    }
    status = 422 if (override_form is not None and override_form.errors) or due_form.errors else 200
    return render(request, "workcal/year.html", context, status=status)


@require_POST
def override_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    if not can_manage_units(request.user):
        raise PermissionDenied
    override = get_object_or_404(CalendarOverride.objects.select_related("calendar__unit"), pk=pk)
    year = override.date.year
    calendar_pk = override.calendar_id
    services.calendar_override_remove(override=override, by=request.user)
    messages.success(request, _("Override removed."))
    return redirect(f"/calendar/?calendar={calendar_pk}&year={year}")
