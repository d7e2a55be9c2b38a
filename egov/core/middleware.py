"""Request id propagation and the per-request context used by audit and logs."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from egov.core.context import RequestContext, reset_request_context, set_request_context
from egov.core.text import clean_text, is_clean

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Take a sane X-Request-ID from the proxy or make one; echo it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_context(RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as our own reverse proxies saw it: the one helper for the audit
    trail, the portal rate limits and the sign-in lockout (AXES_CLIENT_IP_CALLABLE).

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    ``EGOV_TRUSTED_PROXY_HOPS`` = N proxies the client is the N-th entry from the right; anything
    further left was written by the client and proves nothing. Without trusted proxies (N = 0)
    the header is ignored and REMOTE_ADDR is the client."""
    from django.conf import settings

    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    hops: int = getattr(settings, "EGOV_TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: the request entered behind the outermost proxy, and every
    # entry was still appended by one of ours, the left-most being the nearest to the client.
    candidate = entries[-hops] if len(entries) >= hops else entries[0]
    return _valid_ip(candidate) or remote


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's default-deny login check; the API is exempt because it authenticates each
    operation itself and must answer 401 JSON rather than redirect to a login page."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> Any:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese unless the user chose otherwise (language cookie): a browser set to English
    must not switch a Vietnamese government system's language by itself."""

    def process_request(self, request: HttpRequest) -> None:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")


class CleanInputMiddleware:
    """Text hygiene at the edge for every page and query string: each value of ``request.GET`` and
    ``request.POST`` (and each uploaded file's name) goes through ``clean_text`` before any view
    or form sees it. A path with control characters names nothing: 404 before any database query;
    a cookie with them is dropped (it sits before the session middleware for that).
    The API's JSON bodies are cleaned by its string types (``egov.core.schema.Line``/``Block``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _CONTROL_IN_PATH.search(request.path):
            return _path_not_found(request)
        # django-stubs types GET/POST as read-only; Django lets a middleware replace them, as here.
        request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if any(_CONTROL_IN_PATH.search(v) for v in request.COOKIES.values()):
            # A session or CSRF cookie with NUL would reach the database: no such cookie exists.
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if not _CONTROL_IN_PATH.search(v)}
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> None:
        content_type = request.content_type or ""
        if request.method in ("GET", "HEAD", "OPTIONS") or not content_type.startswith(
            ("multipart/form-data", "application/x-www-form-urlencoded")
        ):
            return None
        request.POST = _cleaned(request.POST)  # type: ignore[assignment]  # as for GET above
        for upload in (f for _key, files in request.FILES.lists() for f in files):
            if upload.name:
                upload.name = clean_text(upload.name, multiline=False)
        return None


def _cleaned(data: QueryDict) -> QueryDict:
    if all(is_clean(k) and all(is_clean(v) for v in vs) for k, vs in data.lists()):
        return data  # the usual case: no copy
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _path_not_found(request: HttpRequest) -> HttpResponse:
    # Before the session and auth middleware: a plain answer, no page template needing a user.
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404)
    return HttpResponseNotFound(_("Not found."), content_type="text/plain; charset=utf-8")
