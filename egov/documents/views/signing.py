"""What the document page shows of digital signatures: the sign panel (who signs, with which key,
who has signed), and for the clerk whether the agency's signature will be applied at issue.
Drawn from the workflow table (``available_actions``) and the signing log; the actions post to
the document page's action view like every other button."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import StyledFormMixin
from egov.documents.models import CopyForm, Document, ElectronicCopy
from egov.documents.signing_state import agency_key, person_key, person_signature, signing_records
from egov.documents.workflow import Action, available_actions
from egov.signatures.models import SigningKey, SigningRecord


class CopyFormForm(StyledFormMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form of the copy"), choices=CopyForm.choices, initial=CopyForm.SAO_Y)


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
