"""The home page: it reads roles and permissions of several apps, so it lives at the project level."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import redirect, render

from egov.accounts.permissions import can_manage_units, can_read_audit, is_system_admin, managed_unit_paths
from egov.accounts.selectors import roles_of
from egov.accounts.types import AuthedRequest
from egov.orgs.selectors import last_reorganisation


def home(request: AuthedRequest) -> HttpResponse:
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
    if getattr(user, "kind", None) == "staff":
        # The structure before the last reorganisation (the end of the year before it) and today.
        reorganised = last_reorganisation()
        if reorganised is not None:
            context["reorganised_on"] = reorganised
            context["tree_before"] = dt.date(reorganised.year - 1, 12, 31)
    return render(request, "core/home.html", context)
