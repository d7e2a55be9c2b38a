"""Shared by the back office pages: staff only, model errors on forms."""

from __future__ import annotations

from django import forms as dj_forms
from django.core.exceptions import ValidationError
from django.http import Http404

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import AuthedRequest


def _staff_only(request: AuthedRequest) -> None:
    # 404 as for a dossier one may not see: the back office does not exist for citizens.
    if not is_staff_user(request.user):
        raise Http404


def _add_validation_error(form: dj_forms.Form, exc: ValidationError, field: str | None) -> None:
    """Show a model's ValidationError on the form, field by field when it names fields the form
    has (a dict of errors cannot be attached to one field)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(field, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
