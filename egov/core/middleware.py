"""Request id propagation and the per-request context used by audit and logs."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from egov.core.context import RequestContext, reset_request_context, set_request_context

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
