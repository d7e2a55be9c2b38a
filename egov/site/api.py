"""The HTTP API root: one NinjaAPI assembling every app's router, stable JSON errors, session auth
for now (tokens come with integration). Project level, so that ``core`` imports no app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from egov.accounts.api import router as accounts_router
from egov.catalog.api import router as catalog_router
from egov.core.api import error_body, field_message
from egov.documents.api import router as documents_router
from egov.dossiers.api import router as dossiers_router
from egov.orgs.api import router as orgs_router
from egov.plans.api import router as plans_router
from egov.portal.api import router as public_router
from egov.reports.api import router as reports_router
from egov.signatures.api import router as signatures_router

api = NinjaAPI(
    title="egov API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(field_message(err))
    return api.create_response(
        request, error_body("invalid", _("The data is not valid."), fields), status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthenticated", _("Sign-in required.")), status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Services and selectors refuse with Django's PermissionDenied; the API answers it in its shape.
    message = str(exc) or _("You may not do this.")
    return api.create_response(request, error_body("forbidden", message), status=403)


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


api.add_router("/units", orgs_router)
api.add_router("/me", accounts_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/documents", documents_router)
api.add_router("/signatures", signatures_router)
api.add_router("/reports", reports_router)
api.add_router("/reports", plans_router)  # the plan's KPIs, beside the statistics
api.add_router("/public", public_router)
