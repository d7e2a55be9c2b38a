from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.orgs.models import Unit


def _check_csv(upload: Any) -> Any:
    max_bytes = settings.EGOV_UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is too large (maximum %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not upload.name.lower().endswith(".csv"):
        raise forms.ValidationError(_("Upload a .csv file."))
    head = upload.read(2048)
    upload.seek(0)
    if b"\x00" in head:
        raise forms.ValidationError(_("This does not look like a text (CSV) file."))
    return upload


class UnitsImportForm(StyledFormMixin, forms.Form):
    units_file = forms.FileField(
        label=_("Units file (CSV)"), help_text=_("Columns: gso_code, name, unit_type, level, parent_gso_code")
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False)
    mapping_file = forms.FileField(
        label=_("Reorganisation mapping (CSV, optional)"),
        required=False,
        help_text=_(
            "Columns: old_gso_code, old_name, new_gso_code, new_name, split. With it, the new structure replaces the chosen unit."
        ),
    )
    replaces = forms.ModelChoiceField(
        label=_("Replaces (old province)"),
        required=False,
        queryset=Unit.objects.filter(kind="province", valid_to__isnull=True),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, max_length=255)

    def clean_units_file(self) -> Any:
        return _check_csv(self.cleaned_data["units_file"])

    def clean_mapping_file(self) -> Any:
        upload = self.cleaned_data.get("mapping_file")
        return _check_csv(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mapping_file"):
            if not cleaned.get("replaces"):
                self.add_error("replaces", _("Choose the unit the new structure replaces."))
            if not cleaned.get("valid_from"):
                self.add_error("valid_from", _("A reorganisation needs its effective date."))
        return cleaned


class AsOfForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False)
