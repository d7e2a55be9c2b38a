"""Forms of the signature app; messages are Vietnamese through gettext. Uploads are checked by
their bytes (:func:`egov.core.uploads.check_upload`); the services check the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.core.uploads import check_upload
from egov.signatures.backends import csc_services, pkcs11_modules
from egov.signatures.services_keys import IMAGE_MAX_BYTES

CERTIFICATE_MAX_BYTES = 64 * 1024
PKCS12_MAX_BYTES = 256 * 1024


def _read(upload: Any, *, limit: int) -> bytes:
    if upload.size > limit:
        raise ValidationError(_("The file is too large (maximum %(kb)s KB).") % {"kb": limit // 1024})
    upload.seek(0)
    return bytes(upload.read())


class SignatureImageForm(StyledFormMixin, forms.Form):
    image = forms.FileField(
        label=_("Handwritten signature (PNG, transparent background, blue ink)"),
        help_text=_("At most 1 MB and 2000×1000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )

    def clean_image(self) -> bytes:
        upload = self.cleaned_data["image"]
        check_upload(upload, allowed={"image/png": "png"}, max_bytes=IMAGE_MAX_BYTES)
        return _read(upload, limit=IMAGE_MAX_BYTES)


class SealImageForm(SignatureImageForm):
    image = forms.FileField(
        label=_("Seal (PNG, transparent background, red)"),
        help_text=_("At most 1 MB and 2000×2000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
    )
    width_mm = forms.DecimalField(
        label=_("Real width of the seal (mm)"),
        min_value=Decimal(30),
        max_value=Decimal(45),
        decimal_places=1,
        initial=Decimal(36),
        help_text=_("Measure the seal's print: usually 35–40 mm."),
    )


class CertificateForm(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Key name"), max_length=100, required=False)
    certificate = forms.FileField(
        label=_("Certificate of your token (.cer, .crt or .pem)"),
        help_text=_("Export it from your token's software; the private key never leaves the token."),
    )

    def clean_certificate(self) -> bytes:
        return _read(self.cleaned_data["certificate"], limit=CERTIFICATE_MAX_BYTES)


class Pkcs12Form(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Key name"), max_length=100)
    pkcs12 = forms.FileField(label=_("Key file (.p12 or .pfx)"))
    passphrase = forms.CharField(
        label=_("Passphrase of the key file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_pkcs12(self) -> bytes:
        return _read(self.cleaned_data["pkcs12"], limit=PKCS12_MAX_BYTES)


class Pkcs11Form(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Key name"), max_length=100)
    module = forms.ChoiceField(label=_("Token library (PKCS#11)"))
    token_label = forms.CharField(label=_("Token label"), max_length=100)
    key_label = forms.CharField(label=_("Key label"), max_length=100)
    cert_label = forms.CharField(
        label=_("Certificate label"), max_length=100, required=False, help_text=_("Empty: the key label.")
    )
    pin = forms.CharField(
        label=_("PIN"), max_length=64, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(m, m) for m in pkcs11_modules()]  # type: ignore[attr-defined]


class CscForm(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Key name"), max_length=100)
    service_url = forms.ChoiceField(label=_("Remote signing service"))
    credential_id = forms.CharField(label=_("Credential (account) at the service"), max_length=200)
    secret = forms.CharField(
        label=_("Access token or PIN"),
        required=False,
        strip=False,
        max_length=2000,
        help_text=_("A bearer token; or pin:<PIN>; or token:<token>;pin:<PIN>."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_url"].choices = [(u, u) for u in csc_services()]  # type: ignore[attr-defined]
