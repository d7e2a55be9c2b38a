"""The HTTP API root: one NinjaAPI, stable JSON errors, session auth for now (tokens come with integration)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

api = NinjaAPI(
    title="egov API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)


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


def _field_message(err: dict[str, Any]) -> str:
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


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(_field_message(err))
    return api.create_response(
        request, error_body("invalid", _("The data is not valid."), fields), status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", _("Sign-in required.")), status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's only 400 is a body it cannot parse: bad input like any other, so the usual 422.
        fields = {"__all__": [_("The request body could not be read as JSON.")]}
        return api.create_response(
            request, error_body("invalid", _("The data is not valid."), fields), status=422
        )
    if exc.status_code == 403 and str(exc) == "CSRF check Failed":
        message = _("The request did not carry this site's CSRF token; reload the page and try again.")
        return api.create_response(request, error_body("csrf", message), status=403)
    return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)


def _register_routers() -> None:
    from egov.accounts.api import router as accounts_router
    from egov.catalog.api import router as catalog_router
    from egov.dossiers.api import router as dossiers_router
    from egov.orgs.api import router as orgs_router
    from egov.portal.api import router as public_router
    from egov.reports.api import router as reports_router

    api.add_router("/units", orgs_router)
    api.add_router("/me", accounts_router)
    api.add_router("/procedures", catalog_router)
    api.add_router("/dossiers", dossiers_router)
    api.add_router("/reports", reports_router)
    api.add_router("/public", public_router)


_register_routers()
