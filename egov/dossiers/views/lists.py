"""Back office lists: the dossiers by tab, and the register of a counter (form 07)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms as dj_forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.accounts.types import AuthedRequest
from egov.core.forms import StyledFormMixin
from egov.dossiers import selectors
from egov.dossiers.forms import DATE_INPUT_FORMATS, DatePickerInput
from egov.dossiers.pdf import html_to_pdf
from egov.dossiers.permissions import (
    receiving_units_for,
)
from egov.dossiers.views.common import _staff_only
from egov.orgs.models import Unit

# Lazy: the tab labels are translated per request, in the language of whoever asks.
VIEWS = [
    ("inbox", gettext_lazy("My inbox")),
    ("open", gettext_lazy("In progress")),
    ("due_soon", gettext_lazy("Due within 3 days")),
    ("overdue", gettext_lazy("Overdue")),
    ("paused", gettext_lazy("Paused")),
    ("registered", gettext_lazy("Submitted online")),
    ("all", gettext_lazy("All")),
]


# Timeline kinds recorded by the citizen portal (until they join egov.dossiers.events).


def dossier_list(request: AuthedRequest) -> HttpResponse:
    _staff_only(request)
    view = request.GET.get("view", "inbox")
    if view not in dict(VIEWS):
        view = "inbox"
    q = request.GET.get("q", "")[:100]
    qs = selectors.dossier_list(request.user, view=view, q=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    counts = selectors.dossier_counts(request.user, [key for key, _label in VIEWS])
    context = {
        "page": page,
        "view": view,
        "views": VIEWS,
        "tabs": [(key, label, counts[key]) for key, label in VIEWS],
        "q": q,
        "can_receive": bool(receiving_units_for(request.user)),
    }
    return render(request, "dossiers/list.html", context)


class _PeriodForm(StyledFormMixin, dj_forms.Form):
    start = dj_forms.DateField(
        label=gettext_lazy("From"), widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
    )
    end = dj_forms.DateField(
        label=gettext_lazy("To"), widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
    )


def dossier_register(request: AuthedRequest) -> HttpResponse:
    """The register of a counter for a period (form 07), on screen or as PDF."""
    units = receiving_units_for(request.user)
    if not units:
        raise PermissionDenied
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[0])
    today = timezone.localdate()
    form = _PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": today.replace(day=1), "end": today}
    )
    rows = None
    start, end = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start or (end - start) > dt.timedelta(days=366):
            form.add_error("end", _("Choose a period of at most one year, ending after it starts."))
        else:
            rows = list(selectors.register_rows(unit=unit, start=start, end=end)[:5000])
    if rows is not None and request.GET.get("format") == "pdf":
        return _register_pdf(unit=unit, start=start, end=end, rows=rows)
    context = {"units": units, "unit": unit, "form": form, "rows": rows, "start": start, "end": end}
    return render(request, "dossiers/register.html", context, status=422 if form.errors else 200)


def _register_pdf(*, unit: Unit, start: dt.date, end: dt.date, rows: list[Any]) -> HttpResponse:
    """Form 07 as PDF, in Vietnamese whatever the screen's language."""
    with translation.override("vi"):
        html = render_to_string(
            "dossiers/forms/form_07.html",
            {
                "d": type(
                    "Header",
                    (),
                    {
                        "code": f"{unit.name} {start:%d/%m/%Y}–{end:%d/%m/%Y}",
                        "lookup_secret": "",
                        "receiving_unit": unit,
                    },
                )(),
                "committee": unit.parent or unit,
                "title": _("Dossier register"),
                "form_no": "07",
                "now": timezone.localtime(),
                "rows": rows,
                "unit": unit,
                "start": start,
                "end": end,
                "template_version": "2025.1",
            },
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    return response
