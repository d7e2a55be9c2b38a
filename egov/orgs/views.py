"""Organisation tree (as of a date), unit pages and structure import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.permissions import can_manage_staff_of, can_manage_units, is_staff_user
from egov.accounts.selectors import role_assignments_for_unit, unit_get_for_user
from egov.accounts.types import AuthedRequest
from egov.orgs import selectors, services
from egov.orgs.forms import AsOfForm, UnitsImportForm
from egov.orgs.importing import ImportRejected


def unit_tree(request: AuthedRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied
    form = AsOfForm(request.GET or None)
    as_of = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    roots = selectors.unit_tree(as_of=as_of)
    return render(
        request,
        "orgs/tree.html",
        {"roots": roots, "form": form, "as_of": as_of, "can_manage_units": can_manage_units(request.user)},
        status=422 if form.errors else 200,
    )


def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = unit_get_for_user(user=request.user, pk=pk)
    may_manage = can_manage_staff_of(request.user, unit)
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": unit.children.order_by("sort_order", "name"),
        "successors": selectors.unit_successors(unit),
        "predecessors": selectors.unit_predecessors(unit),
        "may_manage": may_manage,
        "assignments": role_assignments_for_unit(unit=unit) if may_manage else [],
    }
    return render(request, "orgs/unit_detail.html", context)


def units_import(request: AuthedRequest) -> HttpResponse:
    if not can_manage_units(request.user):
        raise PermissionDenied
    form = UnitsImportForm(request.POST or None, request.FILES or None)
    errors: list[object] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mapping_file"]:
                summary = services.units_reorganise(
                    replaces=data["replaces"],
                    units_content=data["units_file"].read(),
                    mapping_content=data["mapping_file"].read(),
                    effective_on=data["valid_from"],
                    legal_basis=data["legal_basis"],
                    by=request.user,
                )
            else:
                summary = services.units_import(
                    content=data["units_file"].read(), valid_from=data["valid_from"], by=request.user
                )
        except ImportRejected as exc:
            errors = list(exc.errors)
        else:
            messages.success(
                request,
                _(
                    "Import finished: areas %(areas)s, agencies %(agencies)s, succession links %(links)s, units closed %(closed)s."
                )
                % {
                    "areas": summary.areas,
                    "agencies": summary.agencies,
                    "links": summary.successions,
                    "closed": summary.closed,
                },
            )
            return redirect("orgs:tree")
    status = 422 if (form.errors or errors) else 200
    return render(request, "orgs/import.html", {"form": form, "errors": errors}, status=status)
