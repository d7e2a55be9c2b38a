"""Citizen sign-up, confirmation by code, sign-in page and password reset.

Sign-in itself is the shared login view (/accounts/login/); the page here only explains that
citizens use their phone number or e-mail and posts to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
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
from egov.portal.identity.forms import ResendForm, ResetConfirmForm, ResetRequestForm, SignupForm, VerifyForm
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


@login_not_required
def signin(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next")) or reverse("portal:my_dossiers")
    if request.user.is_authenticated:
        return redirect(next_url)
    return render(request, "portal/signin.html", {"next": next_url})


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers")
    next_url = safe_next(request, request.GET.get("next") or request.POST.get("next"))
    form = SignupForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "signup", request.POST.get("identifier", "")):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.citizen_signup(
                    identifier=data["identifier"], full_name=data["full_name"], password=data["password1"]
                )
            except services.IdentityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                request.session[SESSION_IDENTIFIER] = data["identifier"]
                request.session[SESSION_NEXT] = next_url
                messages.info(
                    request,
                    _("We sent a 6-digit code to %(who)s. Enter it below to activate your account.")
                    % {"who": data["identifier"]},
                )
                return redirect("portal:verify")
    return render(request, "portal/signup.html", {"form": form, "next": next_url}, status=status)


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(posted(request), initial={"identifier": request.session.get(SESSION_IDENTIFIER, "")})
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "verify", request.POST.get("identifier", "")):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            try:
                user = services.citizen_verify(
                    identifier=form.cleaned_data["identifier"], code=form.cleaned_data["code"]
                )
            except services.IdentityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
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
    if rate_limited(request, "signup", request.POST.get("identifier", "")):
        messages.error(request, _too_many())
    elif form.is_valid():
        services.citizen_signup_resend(identifier=form.cleaned_data["identifier"])
        request.session[SESSION_IDENTIFIER] = form.cleaned_data["identifier"]
        messages.info(request, _("If a sign-up is waiting for this contact, a new code is on its way."))
    return redirect("portal:verify")


@login_not_required
def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "reset", request.POST.get("identifier", "")):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            services.password_reset_request(identifier=form.cleaned_data["identifier"])
            request.session[SESSION_IDENTIFIER] = form.cleaned_data["identifier"]
            messages.info(
                request,
                _(
                    "If an account uses %(who)s, we sent it a 6-digit code. Enter it below with a new password."
                )
                % {"who": form.cleaned_data["identifier"]},
            )
            return redirect("portal:reset_confirm")
    return render(request, "portal/reset_request.html", {"form": form}, status=status)


@login_not_required
def reset_confirm(request: HttpRequest) -> HttpResponse:
    form = ResetConfirmForm(
        posted(request), initial={"identifier": request.session.get(SESSION_IDENTIFIER, "")}
    )
    status = 200
    if request.method == "POST":
        status = 422
        if rate_limited(request, "verify", request.POST.get("identifier", "")):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.password_reset_confirm(
                    identifier=data["identifier"], code=data["code"], password=data["password1"]
                )
            except services.IdentityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                request.session.pop(SESSION_IDENTIFIER, None)
                messages.success(request, _("Your password is changed. Sign in with it now."))
                return redirect("portal:signin")
    return render(request, "portal/reset_confirm.html", {"form": form}, status=status)
