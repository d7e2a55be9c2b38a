"""The home page: it reads roles and permissions of several apps, so it lives at the project level."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from egov.accounts.permissions import can_manage_units, can_read_audit, is_system_admin, managed_unit_paths
from egov.accounts.selectors import roles_of


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "kind", None) == "citizen":
        # Citizens have no back office: their home is the portal.
        return redirect("portal:home")
    context = {
        "roles": roles_of(user) if user.is_authenticated else [],
        "is_system_admin": is_system_admin(user),
        "can_manage_staff": is_system_admin(user) or bool(managed_unit_paths(user)),
        "can_manage_units": can_manage_units(user),
        "can_read_audit": can_read_audit(user),
    }
    return render(request, "core/home.html", context)
