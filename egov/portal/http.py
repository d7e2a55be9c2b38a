"""Small request helpers shared by the portal's views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (``request.POST or None`` would treat a POST
    with every field left blank as a first visit and show no errors)."""
    return request.POST if request.method == "POST" else None


def citizen_only(request: HttpRequest) -> Any:
    """The signed-in citizen; staff accounts do not apply or follow dossiers through the portal."""
    user = request.user
    if getattr(user, "kind", None) != "citizen":
        raise PermissionDenied
    return user
