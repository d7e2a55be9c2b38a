"""The API's shared error shape and messages, imported by every app's router.

The NinjaAPI itself, which assembles the routers of every app, lives at the project level
(``egov.site.api``) because ``core`` imports no app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one error shape every endpoint returns: {"error": {"code", "message", "fields"}}."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error shape, for the OpenAPI document."""

    error: ErrorDetail


# The error answers each kind of operation really gives, for ``response={200: X, **ERRORS}``:
# signed-in operations answer 401 to anonymous callers and 403 where a role is missing; every
# operation with input answers 422; operations on one object answer 404.
PUBLIC_ERRORS: dict[int, Any] = {422: ErrorOut}
SIGNED_IN_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
OBJECT_ERRORS: dict[int, Any] = {**SIGNED_IN_ERRORS, 404: ErrorOut}


def field_message(err: dict[str, Any]) -> str:
    """A Vietnamese message for one pydantic error (pydantic's own are English only)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "too_long" and ctx.get("field_type") == "List":
        return _("At most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind in ("string_too_long", "too_long"):
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind in ("string_too_short", "too_short"):
        return _("This field is required.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return _("Enter a date and time (YYYY-MM-DDTHH:MM).")
    if kind.startswith("date"):
        return _("Enter a date (YYYY-MM-DD).")
    if kind.startswith("time"):
        return _("Enter a time (HH:MM).")
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        return str(ctx["error"])  # our own validators' messages are translated already
    if kind.startswith("string"):
        return _("Enter text.")
    return _("This value is not valid.")
