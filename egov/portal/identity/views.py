"""Citizen sign-up, confirmation by code, sign-in page and password reset.

The portal has its own sign-in page (citizens only): a wrong password or a lockout is explained
here, in the portal, not on the staff sign-in page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.services import login_recorded
from egov.portal.http import posted
from egov.portal.identity import services
from egov.portal.identity.forms import (
    ResendForm,
    ResetConfirmForm,
    ResetRequestForm,
    SigninForm,
    SignupForm,
    VerifyForm,
)
from egov.portal.identity.identifiers import identifier_key
from egov.portal.ratelimit import rate_limited

SESSION_IDENTIFIER = "portal_identifier"
SESSION_NEXT = "portal_next"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """A local address to go back to after signing up or in; empty when none (or not ours)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _too_many() -> str:
    return _("Too many attempts. Please wait a while and try again.")


_FAILED = object()


def _attempt(
    request: HttpRequest, form: Any, scope: str, action: Callable[[dict[str, Any]], Any]
) -> tuple[Any, int]:
    """One posted identity step: rate limit, validate, run the service, put its refusal on the form.

    Returns (what the service returned, 200) on success; otherwise (_FAILED, status): 200 for a
    plain GET, 429 when rate-limited, 422 for invalid input or a refusal."""
    if request.method != "POST":
        return _FAILED, 200
    if rate_limited(request, scope, identifier_key(request.POST.get("identifier", ""))):
        form.add_error(None, _too_many())
        return _FAILED, 429
    if not form.is_valid():
        return _FAILED, 422
    try:
        return action(form.cleaned_data), 200
    except services.IdentityError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    except ValidationError as exc:
        form.add_error("password1", exc)
    return _FAILED, 422


@login_not_required
def signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next") or request.POST.get("next")) or reverse(
        "portal:my_dossiers"
    )
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SigninForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            user = authenticate(
                request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
            if getattr(request, "axes_locked_out", False):
                # axes' middleware would answer with the staff lockout page; citizens get the
                # portal's. The lock itself (counted by axes) is untouched.
                request.axes_locked_out = False  # type: ignore[attr-defined]
                minutes = round(settings.AXES_COOLOFF_TIME * 60)
                return render(
                    request,
                    "portal/locked_out.html",
                    {"minutes": minutes},
                    status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
                )
            if user is None:
                form.add_error(
                    None,
                    _(
                        "The phone number or e-mail, or the password, is not right. Check them and try "
                        "again; if you have not confirmed your account yet, enter the code we sent you."
                    ),
                )
            elif getattr(user, "kind", None) != "citizen":
                form.add_error(None, _("This is a staff account. Sign in on the staff sign-in page."))
            else:
                login(request, user)
                login_recorded(user=user, second_factor="none")
                return redirect(next_url)
    return render(request, "portal/signin.html", {"form": form, "next": next_url}, status=status)


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers")
    next_url = safe_next(request, request.GET.get("next") or request.POST.get("next"))
    form = SignupForm(posted(request))
    result, status = _attempt(
        request,
        form,
        "signup",
        lambda d: services.citizen_signup(
            identifier=d["identifier"], full_name=d["full_name"], password=d["password1"]
        ),
    )
    if result is not _FAILED:
        identifier = form.cleaned_data["identifier"]
        request.session[SESSION_IDENTIFIER] = identifier
        request.session[SESSION_NEXT] = next_url
        messages.info(
            request,
            _("We sent a 6-digit code to %(who)s. Enter it below to activate your account.")
            % {"who": identifier},
        )
        return redirect("portal:verify")
    return render(request, "portal/signup.html", {"form": form, "next": next_url}, status=status)


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(posted(request), initial={"identifier": request.session.get(SESSION_IDENTIFIER, "")})
    user, status = _attempt(
        request, form, "verify", lambda d: services.citizen_verify(identifier=d["identifier"], code=d["code"])
    )
    if user is not _FAILED:
        next_url = request.session.pop(SESSION_NEXT, "")
        request.session.pop(SESSION_IDENTIFIER, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        login_recorded(user=user, second_factor="none")
        messages.success(request, _("Your account is active. Check your details below."))
        return redirect(safe_next(request, next_url) or reverse("portal:profile"))
    return render(request, "portal/verify.html", {"form": form}, status=status)


@login_not_required
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    form = ResendForm(request.POST)
    if rate_limited(request, "signup", identifier_key(request.POST.get("identifier", ""))):
        messages.error(request, _too_many())
    elif form.is_valid():
        services.citizen_signup_resend(identifier=form.cleaned_data["identifier"])
        request.session[SESSION_IDENTIFIER] = form.cleaned_data["identifier"]
        messages.info(request, _("If a sign-up is waiting for this contact, a new code is on its way."))
    return redirect("portal:verify")


@login_not_required
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(posted(request))
    result, status = _attempt(
        request, form, "reset", lambda d: services.password_reset_request(identifier=d["identifier"])
    )
    if result is not _FAILED:
        identifier = form.cleaned_data["identifier"]
        request.session[SESSION_IDENTIFIER] = identifier
        messages.info(
            request,
            _("If an account uses %(who)s, we sent it a 6-digit code. Enter it below with a new password.")
            % {"who": identifier},
        )
        return redirect("portal:reset_confirm")
    return render(request, "portal/reset_request.html", {"form": form}, status=status)


@login_not_required
def reset_confirm(request: HttpRequest) -> HttpResponse:
    form = ResetConfirmForm(
        posted(request), initial={"identifier": request.session.get(SESSION_IDENTIFIER, "")}
    )
    result, status = _attempt(
        request,
        form,
        "verify",
        lambda d: services.password_reset_confirm(
            identifier=d["identifier"], code=d["code"], password=d["password1"]
        ),
    )
    if result is not _FAILED:
        request.session.pop(SESSION_IDENTIFIER, None)
        messages.success(request, _("Your password is changed. Sign in with it now."))
        return redirect("portal:signin")
    return render(request, "portal/reset_confirm.html", {"form": form}, status=status)
