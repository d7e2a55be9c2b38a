"""What the document page shows of digital signatures: the sign panel (who signs, with which key,
who has signed), and for the clerk whether the agency's signature will be applied at issue.
Drawn from the workflow table (``available_actions``) and the signing log; the actions post to
the document page's action view like every other button."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.core.forms import StyledFormMixin
from egov.documents import selectors
from egov.documents.errors import DocumentError
from egov.documents.models import CopyForm, Document, ElectronicCopy
from egov.documents.signing_state import agency_key, person_key, person_signature, signing_records
from egov.documents.workflow import Action, available_actions
from egov.signatures import remote
from egov.signatures.errors import SignatureError
from egov.signatures.models import SigningKey, SigningRecord


class CopyFormForm(StyledFormMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form of the copy"), choices=CopyForm.choices, initial=CopyForm.SAO_Y)


class DeviceSignatureForm(StyledFormMixin, forms.Form):
    cms = forms.CharField(
        label=_("Signature from your device (CMS, base64)"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=200_000,
        help_text=_("Your signing software gives it after you sign the digest above with your token."),
    )

    def clean_cms(self) -> bytes:
        text = "".join(self.cleaned_data["cms"].split())
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError(remote.not_base64_message()) from exc


@dataclass
class SignPanel:
    can_sign: bool
    can_copy: bool
    own_key: SigningKey | None
    agency_key: SigningKey | None
    person_signed: SigningRecord | None
    records: list[SigningRecord] = field(default_factory=list)
    copies: list[ElectronicCopy] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.can_sign or self.can_copy or self.records or self.copies or self.agency_key)


def sign_panel(user: Any, document: Document) -> SignPanel:
    actions = available_actions(user, document)
    can_sign = Action.SIGN in actions
    return SignPanel(
        can_sign=can_sign,
        can_copy=Action.COPY in actions,
        own_key=person_key(user) if can_sign else None,
        agency_key=agency_key(document.issuer_unit) if document.drafting_unit_id else None,
        person_signed=person_signature(document) if document.drafting_unit_id else None,
        records=signing_records(document),
        copies=list(
            ElectronicCopy.objects.filter(document=document)
            .select_related("agency", "file")
            .order_by("made_at", "pk")
        ),
    )


def sign_device(request: HttpRequest, pk: int, request_id: uuid.UUID) -> HttpResponse:
    """Signing on one's own device: the digest the token signs, the addresses a vendor plugin
    uses (``/api/v1/signatures/device/…``), and a form to send the signature back by hand."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise Http404
    document = selectors.document_get_for_user(user=user, pk=pk)
    try:
        prepared = remote.prepared_for(prepared_id=str(request_id), by=user)
    except SignatureError as exc:
        raise Http404 from exc
    form = DeviceSignatureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                remote.complete(prepared_id=str(prepared.pk), cms=form.cleaned_data["cms"], by=user)
            except (SignatureError, DocumentError) as exc:
                form.add_error("cms", str(exc))
            else:
                messages.success(request, _g("Signed. The signed version is kept beside the unsigned one."))
                return redirect(document)
        status = 422
    context = {"d": document, "prepared": prepared, "form": form, "done": prepared.completed_at is not None}
    return render(request, "documents/drafting/sign_device.html", context, status=status)
