"""Sign-in (password, then TOTP), enrolment, and staff management for unit administrators."""

from __future__ import annotations

import io
import time
from typing import Any, cast

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import services
from egov.accounts.forms import EnrolmentCodeForm, LoginForm, RoleGrantForm, StaffCreateForm, TokenForm
from egov.accounts.middleware import SESSION_2FA_WAIVED, second_factor_done
from egov.accounts.models import User
from egov.accounts.permissions import (
    can_issue_enrolment_code,
    grantable_roles,
    is_staff_user,
    is_system_admin,
    managed_unit_paths,
)
from egov.accounts.selectors import (
    role_assignment_get_for_manager,
    roles_of,
    second_factor_status,
    staff_visible_to,
    unit_get_for_manager,
    user_get_for_manager,
)
from egov.accounts.types import AuthedRequest, Visitor
from egov.orgs.models import Unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.get_user()
        if user.kind != "staff":
            services.login_recorded(user=user, second_factor="none")
        elif settings.DEMO_RELAX_2FA and user.is_demo:
            self.request.session[SESSION_2FA_WAIVED] = True
            services.login_recorded(user=user, second_factor="waived-demo")
        else:
            next_url = self.get_redirect_url()
            if next_url:
                self.request.session["egov_next"] = next_url
            return redirect("accounts:otp_verify")
        return response


login_view = login_not_required(LoginView.as_view())


def _next_url(request: HttpRequest) -> str:
    candidate = request.session.pop("egov_next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return str(candidate)
    return "/"


def otp_verify(request: AuthedRequest) -> HttpResponse:
    if second_factor_done(request):
        return redirect("core:home")
    user: User = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            services.login_recorded(user=user, second_factor="totp")
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form}, status=422 if form.errors else 200)


SESSION_ENROL = "egov_otp_enrol"
# How long after entering the enrolment code the QR code may still be shown in this session.
ENROL_WINDOW_SECONDS = 30 * 60


def _enrolling_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    """The unconfirmed device an enrolment code gave this user in this session, if still fresh:
    a device pending from another session (or from before codes existed) is never shown."""
    state = request.session.get(SESSION_ENROL) or {}
    if state.get("user") != user.pk or float(state.get("until", 0)) < time.time():
        return None
    return TOTPDevice.objects.filter(pk=state.get("device"), user=user, confirmed=False).first()


def otp_setup(request: AuthedRequest) -> HttpResponse:
    """Enrol an authenticator app: first the one-time code from the unit administrator, then
    the QR code and a code from the app. Also how a lost phone is replaced."""
    user: User = request.user
    if user.kind != "staff":
        return redirect("core:home")
    device = _enrolling_device(request, user)
    if device is None:
        return _enrolment_code_step(request, user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            request.session.pop(SESSION_ENROL, None)
            otp_login(request, device)
            services.login_recorded(user=user, second_factor="totp")
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    context = {"form": form, "qr_svg": buffer.getvalue().decode(), "secret": _b32(device.bin_key)}
    response = render(request, "accounts/otp_setup.html", context, status=422 if form.errors else 200)
    add_never_cache_headers(response)
    return response


def _enrolment_code_step(request: HttpRequest, user: User) -> HttpResponse:
    credentials = {getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.username}
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AxesProxyHandler.is_locked(request, credentials):
            return cast(HttpResponse, get_lockout_response(request, None, credentials))
        device = services.otp_enrolment_code_redeem(user=user, code=form.cleaned_data["code"])
        if device is not None:
            request.session[SESSION_ENROL] = {
                "user": user.pk,
                "device": device.pk,
                "until": time.time() + ENROL_WINDOW_SECONDS,
            }
            return redirect("accounts:otp_setup")
        # A wrong code counts toward the sign-in lockout like a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error(
            "code",
            _(
                "The enrolment code is wrong, already used or expired. Ask your unit administrator for a new one."
            ),
        )
    return render(request, "accounts/otp_enrol_code.html", {"form": form}, status=422 if form.errors else 200)


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def staff_list(request: AuthedRequest) -> HttpResponse:
    # The staff directory is part of the back office: citizens have no business there.
    if not is_staff_user(request.user):
        raise PermissionDenied
    people = staff_visible_to(request.user).order_by("full_name")[:500]
    units = Unit.objects.in_subtrees(managed_unit_paths(request.user)).valid_on(_today())[:200]
    return render(
        request,
        "accounts/staff_list.html",
        {"people": people, "managed_units": units, "is_system_admin": is_system_admin(request.user)},
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def staff_create(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = unit_get_for_manager(user=request.user, pk=unit_pk)
    form = StaffCreateForm(request.POST or None, roles=grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.user_create(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password"],
                by=request.user,
                unit_for_scope=unit,
            )
            services.role_grant(user=person, unit=unit, role=data["role"], by=request.user)
        except (ValidationError, IntegrityError):
            form.add_error(None, _("The account could not be saved; check the fields and try again."))
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": person.full_name})
            return redirect("accounts:staff_detail", pk=person.pk)
    return render(
        request, "accounts/staff_form.html", {"form": form, "unit": unit}, status=422 if form.errors else 200
    )


def _manageable_unit_choices(user: Visitor) -> list[tuple[int, str]]:
    qs = Unit.objects.valid_on(_today())
    if not is_system_admin(user):
        qs = qs.in_subtrees(managed_unit_paths(user))
    return [(u.pk, u.name) for u in qs.order_by("path")[:2000]]


def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = user_get_for_manager(user=request.user, pk=pk)
    form = RoleGrantForm(
        request.POST or None,
        units=_manageable_unit_choices(request.user),
        roles=grantable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        unit = unit_get_for_manager(user=request.user, pk=form.cleaned_data["unit"])
        try:
            services.role_grant(user=person, unit=unit, role=form.cleaned_data["role"], by=request.user)
        except ValidationError:
            form.add_error(None, _("This person already holds that role in that unit."))
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:staff_detail", pk=person.pk)
    manageable = {u for u, _label in _manageable_unit_choices(request.user)}
    assignments = [(a, a.unit_id in manageable) for a in roles_of(person)]
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "person": person,
            "assignments": assignments,
            "form": form,
            "second_factor": second_factor_status(person=person),
            "can_issue_code": can_issue_enrolment_code(request.user, person),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def otp_code_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issue a two-factor enrolment code for a person and show it, this once."""
    person = user_get_for_manager(user=request.user, pk=pk)
    if not can_issue_enrolment_code(request.user, person):
        raise PermissionDenied
    code = services.otp_enrolment_code_issue(user=person, by=request.user)
    response = render(
        request,
        "accounts/enrolment_code.html",
        {
            "person": person,
            "code": code,
            "hours": int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600),
        },
    )
    add_never_cache_headers(response)  # the code must not stay in a cache or the back button
    return response


@require_POST
def role_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = role_assignment_get_for_manager(user=request.user, pk=pk)
    services.role_revoke(assignment=assignment, by=request.user)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:staff_detail", pk=assignment.user_id)
