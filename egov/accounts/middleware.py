"""Staff must pass the second factor before anything else (except the pages that get them there)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_2FA_WAIVED = "egov_2fa_waived"


def second_factor_done(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or getattr(user, "kind", None) != "staff":
        return True
    if user.is_verified():  # type: ignore[attr-defined]  # django-otp adds it at runtime
        return True
    return bool(settings.DEMO_RELAX_2FA and user.is_demo and request.session.get(SESSION_2FA_WAIVED))


class SecondFactorRequiredMiddleware:
    _open_prefixes = ("/static/", "/healthz", "/readyz", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_done(request):
            return self.get_response(request)
        allowed = {
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_setup"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
        }
        if request.path in allowed or request.path.startswith(self._open_prefixes):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "code": "second_factor_required",
                        "message": _("Two-factor sign-in required."),
                        "fields": {},
                    }
                },
                status=401,
            )
        return redirect("accounts:otp_verify")
