"""Trust roots administration (system administrator only): the roots signatures are checked
against, adding one from a certificate file, retiring one. Each change is audited and starts
the re-check of stored reports."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.models import User
from egov.signatures import permissions
from egov.signatures.errors import SignatureError
from egov.signatures.models import RootKind, TrustRoot
from egov.signatures.selectors import trust_roots_list
from egov.signatures.services_roots import trust_root_retire, trust_root_upload

MAX_CERT_BYTES = 64 * 1024


class RootForm(forms.Form):
    certificate = forms.FileField(label=gettext_lazy("Root certificate (DER or PEM, .cer/.crt/.pem)"))
    name = forms.CharField(label=gettext_lazy("Root name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RootKind.choices, initial=RootKind.OFFICIAL)

    def clean_certificate(self) -> bytes:
        upload = self.cleaned_data["certificate"]
        if upload.size > MAX_CERT_BYTES:
            raise forms.ValidationError(_("A certificate file is at most 64 KB; this is not one."))
        return bytes(upload.read())


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not permissions.allowed(user, permissions.Action.TRUST_ROOTS):
        raise PermissionDenied
    return user


def roots(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = RootForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                root = trust_root_upload(
                    certificate=form.cleaned_data["certificate"],
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    by=user,
                )
            except SignatureError as exc:
                form.add_error("certificate", str(exc))
            else:
                messages.success(
                    request,
                    _("“%(name)s” is trusted; stored checks are being run again.") % {"name": root.name},
                )
                return redirect("signatures:roots")
    context = {"form": form, "roots": trust_roots_list(), "now": dt.datetime.now(dt.UTC)}
    return render(request, "signatures/roots.html", context, status=status)


@require_POST
def root_retire(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    root = get_object_or_404(TrustRoot, pk=pk)
    trust_root_retire(root=root, by=user)
    messages.success(
        request,
        _("“%(name)s” is no longer trusted; stored checks are being run again.") % {"name": root.name},
    )
    return redirect("signatures:roots")
