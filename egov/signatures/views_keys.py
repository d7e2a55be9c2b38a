"""Pages: the signer's own signature (handwritten-signature image, keys on their own device)
and an agency's keys and seal. Thin: parse, authorise, call one service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.accounts.types import AuthedRequest
from egov.orgs.models import Unit
from egov.signatures import services_keys
from egov.signatures.errors import SignatureError
from egov.signatures.forms import (
    CertificateForm,
    CscForm,
    Pkcs11Form,
    Pkcs12Form,
    SealImageForm,
    SignatureImageForm,
)
from egov.signatures.models import ImageKind, KeyBackend, SignatureImage, SigningKey
from egov.signatures.permissions import Action, allowed
from egov.signatures.selectors import active_image

WARN = dt.timedelta(days=30)


def _staff(request: AuthedRequest, action: Action, unit: Unit | None = None) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise Http404  # the back office does not exist for citizens
    if not allowed(user, action, unit):
        raise PermissionDenied
    return user


def _key_rows(keys: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for key in keys:
        state = "ok"
        if not key.is_active:
            state = "retired"
        elif key.not_after is not None and key.not_after <= now:
            state = "expired"
        elif key.not_after is not None and key.not_after <= now + WARN:
            state = "soon"
        rows.append({"key": key, "state": state})
    return rows


# ---------------------------------------------------------------- my signature


def _mine(request: AuthedRequest, user: User, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "image": active_image(user=user, kind=ImageKind.SIGNATURE),
        "keys": _key_rows(SigningKey.objects.filter(user=user).order_by("-is_active", "-created_at")[:50]),
        "image_form": forms.get("image_form") or SignatureImageForm(),
        "key_form": forms.get("key_form") or CertificateForm(),
    }
    return render(request, "signatures/keys_mine.html", context, status=status)


@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    return _mine(request, _staff(request, Action.OWN_IMAGE))


@require_POST
def mine_image(request: AuthedRequest) -> HttpResponse:
    user = _staff(request, Action.OWN_IMAGE)
    form = SignatureImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services_keys.signature_image_set(user=user, data=form.cleaned_data["image"], by=user)
        except SignatureError as exc:
            form.add_error("image", str(exc))
        else:
            messages.success(request, _("Your signature image is saved."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("signatures:mine")
    return _mine(request, user, status=422, image_form=form)


@require_POST
def mine_key_add(request: AuthedRequest) -> HttpResponse:
    user = _staff(request, Action.OWN_KEYS)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services_keys.signing_key_add_client(
                user=user,
                label=form.cleaned_data["label"],
                certificate=form.cleaned_data["certificate"],
                by=user,
            )
        except SignatureError as exc:
            form.add_error("certificate", str(exc))
        else:
            messages.success(request, _("Your token's certificate is registered."))
            return redirect("signatures:mine")
    return _mine(request, user, status=422, key_form=form)


@require_POST
def mine_key_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    user = _staff(request, Action.OWN_KEYS)
    key = get_object_or_404(SigningKey, pk=pk, user=user)
    services_keys.signing_key_retire(key=key, by=user)
    messages.success(request, _("The key is no longer used."))
    return redirect("signatures:mine")


@require_GET
def image(request: AuthedRequest, pk: int) -> FileResponse:
    """An image, for its owner (a person's own; an agency's, for its administrators)."""
    row = get_object_or_404(SignatureImage, pk=pk)
    user = request.user
    if not is_staff_user(user):
        raise Http404
    mine = row.user_id is not None and row.user_id == user.pk and allowed(user, Action.OWN_IMAGE)
    if not mine and not (row.unit is not None and allowed(user, Action.AGENCY_SEAL, row.unit)):
        raise PermissionDenied
    response = FileResponse(row.image.open("rb"), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{row.kind}-{row.pk}.png"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------- an agency's keys and seal

ADD_FORMS = {KeyBackend.PKCS12: Pkcs12Form, KeyBackend.PKCS11: Pkcs11Form, KeyBackend.CSC: CscForm}


def _agency(request: AuthedRequest, unit_pk: int, action: Action = Action.AGENCY_KEYS) -> tuple[Unit, User]:
    unit = get_object_or_404(Unit, pk=unit_pk)
    return unit, _staff(request, action, unit)


def _agency_page(request: AuthedRequest, unit: Unit, *, status: int = 200, bound: Any = None) -> HttpResponse:
    forms = {backend: form_class(prefix=str(backend)) for backend, form_class in ADD_FORMS.items()}
    seal_form = SealImageForm(prefix="seal")
    if isinstance(bound, SealImageForm):
        seal_form = bound
    elif bound is not None:
        forms[bound.prefix] = bound
    context = {
        "unit": unit,
        "keys": _key_rows(SigningKey.objects.filter(unit=unit).order_by("-is_active", "-created_at")[:100]),
        "seal": active_image(unit=unit, kind=ImageKind.SEAL),
        "pkcs12_form": forms[KeyBackend.PKCS12],
        "pkcs11_form": forms[KeyBackend.PKCS11],
        "csc_form": forms[KeyBackend.CSC],
        "seal_form": seal_form,
        "open": bound.prefix if bound is not None else "",
    }
    return render(request, "signatures/keys_agency.html", context, status=status)


@require_GET
def agency_keys(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit, _user = _agency(request, unit_pk)
    return _agency_page(request, unit)


def _add(backend: str, unit: Unit, data: dict[str, Any], user: User) -> SigningKey:
    if backend == KeyBackend.PKCS12:
        return services_keys.agency_key_add_pkcs12(
            unit=unit,
            label=data["label"],
            pkcs12=data["pkcs12"],
            passphrase=data["passphrase"].encode(),
            by=user,
        )
    if backend == KeyBackend.PKCS11:
        return services_keys.signing_key_add_pkcs11(
            unit=unit,
            label=data["label"],
            module=data["module"],
            token_label=data["token_label"],
            key_label=data["key_label"],
            cert_label=data["cert_label"],
            pin=data["pin"].encode(),
            by=user,
        )
    return services_keys.signing_key_add_csc(
        unit=unit,
        label=data["label"],
        service_url=data["service_url"],
        credential_id=data["credential_id"],
        secret=data["secret"].encode() or None,
        by=user,
    )


@require_POST
def agency_key_add(request: AuthedRequest, unit_pk: int, backend: str) -> HttpResponse:
    unit, user = _agency(request, unit_pk)
    form_class = ADD_FORMS.get(backend)  # type: ignore[call-overload]
    if form_class is None:
        return redirect("signatures:agency_keys", unit_pk=unit.pk)
    form = form_class(request.POST, request.FILES, prefix=backend)
    if form.is_valid():
        try:
            key = _add(backend, unit, form.cleaned_data, user)
        except SignatureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The key “%(key)s” is added.") % {"key": key.label})
            return redirect("signatures:agency_keys", unit_pk=unit.pk)
    return _agency_page(request, unit, status=422, bound=form)


@require_POST
def agency_key_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(SigningKey.objects.select_related("unit"), pk=pk, unit__isnull=False)
    assert key.unit is not None
    _unit, user = _agency(request, key.unit.pk)
    services_keys.signing_key_retire(key=key, by=user)
    messages.success(request, _("The key “%(key)s” is no longer used.") % {"key": key.label})
    return redirect("signatures:agency_keys", unit_pk=key.unit.pk)


@require_POST
def agency_seal(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit, user = _agency(request, unit_pk, Action.AGENCY_SEAL)
    form = SealImageForm(request.POST, request.FILES, prefix="seal")
    if form.is_valid():
        try:
            result = services_keys.seal_image_set(
                unit=unit, data=form.cleaned_data["image"], width_mm=form.cleaned_data["width_mm"], by=user
            )
        except SignatureError as exc:
            form.add_error(exc.field if exc.field in form.fields else "image", str(exc))
        else:
            messages.success(request, _("The seal image is saved."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("signatures:agency_keys", unit_pk=unit.pk)
    return _agency_page(request, unit, status=422, bound=form)
