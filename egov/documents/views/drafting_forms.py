"""Forms of the drafting pages: the draft's metadata, each action on it, and the issue form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts.types import Visitor
from egov.core.forms import StyledFormMixin, validate_plausible_date
from egov.documents import services
from egov.documents.models import (
    Document,
    DocumentType,
    DraftState,
    RegisterKind,
    ReviewState,
    Secrecy,
    Urgency,
)
from egov.documents.permissions import AGENCY_KINDS, DRAFTER_ROLES, documents_visible_to
from egov.documents.selectors import handler_assignments, registers_of
from egov.documents.signing_state import agency_signs
from egov.orgs.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def drafting_units(user: Visitor) -> list[Unit]:
    """The units the user may draft in: where they hold a drafting role, and below."""
    from egov.accounts.permissions import role_paths

    paths = role_paths(user, {str(r) for r in DRAFTER_ROLES})
    return list(Unit.objects.in_subtrees(paths).filter(valid_to__isnull=True).order_by("path")[:200])


def recipient_agencies() -> list[Unit]:
    return list(Unit.objects.filter(kind__in=AGENCY_KINDS, valid_to__isnull=True).order_by("path")[:1000])


class DraftForm(StyledFormMixin, forms.Form):
    drafting_unit = forms.TypedChoiceField(label=_("Drafting unit"), coerce=int)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices, initial=DocumentType.CONG_VAN)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("An official letter starts with “V/v …”."),
    )
    description = forms.CharField(label=_("Summary"), max_length=500, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    due_on = forms.DateField(
        label=_("Reply due"), required=False, widget=DATE, validators=[validate_plausible_date]
    )
    internal = forms.TypedMultipleChoiceField(
        label=_("Recipients in egov"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("They receive the document in their clerk's queue as soon as it is issued."),
    )
    external = forms.CharField(
        label=_("Other recipients"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name; agency identifier (optional)."),
    )
    answers = forms.TypedMultipleChoiceField(
        label=_("Answers the documents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=50, required=False)

    def __init__(self, *args: Any, user: Visitor, document: Document | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drafting_unit"].choices = [(u.pk, u.name) for u in drafting_units(user)]  # type: ignore[attr-defined]
        self.fields["internal"].choices = [(u.pk, u.name) for u in recipient_agencies()]  # type: ignore[attr-defined]
        self.fields["answers"].choices = _answerable(user, self, document)  # type: ignore[attr-defined]
        if document is not None:
            self.fields.pop("drafting_unit")

    def clean_external(self) -> list[services.RecipientIn]:
        rows = []
        for line in self.cleaned_data["external"].splitlines():
            if not line.strip():
                continue
            name, _sep, code = line.partition(";")
            if not name.strip() or len(name.strip()) > 200 or len(code.strip()) > 35:
                raise forms.ValidationError(
                    _(
                        "Write each recipient as “name; identifier” (name up to 200 characters, identifier up to 35)."
                    )
                )
            rows.append(services.RecipientIn(name=name.strip(), organ_code=code.strip()))
        return rows


def _answerable(user: Visitor, form: forms.Form, document: Document | None) -> list[tuple[int, str]]:
    """Documents the user may answer: those assigned to them lately, those asked for in the
    address (``?answers=``), and those the draft already answers — all only if visible."""
    wanted: set[int] = set()
    raw = form.data.getlist("answers") if hasattr(form.data, "getlist") else []
    initial = form.initial.get("answers") or []
    for value in [*raw, *initial]:
        if str(value).isdigit():
            wanted.add(int(value))
    if document is not None:
        wanted |= set(document.links_out.filter(kind="answers").values_list("target_id", flat=True))
    recent = handler_assignments(user, open_only=False).values_list("entry__document_id", flat=True)[:30]
    wanted |= set(recent)
    docs = documents_visible_to(user).filter(pk__in=wanted).order_by("-created_at")[:50]
    return [(d.pk, str(d)) for d in docs]


def draft_form_values(form: DraftForm) -> dict[str, Any]:
    """The service's keyword arguments from a valid form."""
    data = form.cleaned_data
    units = {u.pk: u for u in Unit.objects.filter(pk__in=data["internal"])}
    answers = list(Document.objects.filter(pk__in=data["answers"]))
    return {
        "doc_type": data["doc_type"],
        "subject": data["subject"],
        "description": data["description"],
        "urgency": data["urgency"],
        "secrecy": data["secrecy"],
        "due_on": data["due_on"],
        "recipients": [services.RecipientIn(unit=units[pk]) for pk in data["internal"] if pk in units]
        + data["external"],
        "answers": answers,
        "signer_position": data["signer_position"],
        "signer_name": data["signer_name"],
    }


def draft_form_initial(document: Document) -> dict[str, Any]:
    recipients = list(document.recipients.all())
    return {
        "doc_type": document.doc_type,
        "subject": document.subject,
        "description": document.description,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "due_on": document.due_on,
        "internal": [r.unit_id for r in recipients if r.unit_id],
        "external": "\n".join(
            f"{r.name}; {r.organ_code}" if r.organ_code else r.name for r in recipients if not r.unit_id
        ),
        "answers": list(document.links_out.filter(kind="answers").values_list("target_id", flat=True)),
        "signer_position": document.signer_position,
        "signer_name": document.signer_name,
    }


class VersionForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File of the new version"))
    comment = forms.CharField(label=_("What changed"), max_length=1000, required=False)


class EmptyForm(StyledFormMixin, forms.Form):
    """An action whose button is the decision."""


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplaceForm(ReasonForm):
    replacement = forms.TypedChoiceField(label=_("Replaced by"), coerce=int)

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = (
            Document.objects.filter(issuer_unit=document.issuer_unit, state=DraftState.ISSUED)
            .exclude(pk=document.pk)
            .order_by("-issued_at")[:100]
        )
        self.fields["replacement"].choices = [("", "—"), *((d.pk, str(d)) for d in candidates)]  # type: ignore[attr-defined]
        self.order_fields(["replacement", "reason"])


def _last_approver_name(document: Document) -> str:
    last = document.reviews.filter(state=ReviewState.APPROVED).order_by("-round", "-order").first()
    return last.reviewer.get_full_name()[:50] if last is not None and last.reviewer is not None else ""


class IssueForm(StyledFormMixin, forms.Form):
    register = forms.TypedChoiceField(label=_("Outgoing register"), coerce=int)
    issued_on = forms.DateField(label=_("Issue date"), widget=DATE, validators=[validate_plausible_date])
    # The printed signature block needs both (the service refuses an issue without them).
    signer_position = forms.CharField(label=_("Signer's position"), max_length=100)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=50)
    copies = forms.IntegerField(label=_("Copies issued"), min_value=1, max_value=32767, required=False)
    main_file = forms.FileField(
        label=_("Signed text (PDF)"),
        required=False,
        help_text=_("Leave empty to issue the last draft version, if it is a PDF."),
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "issued_on": timezone.localdate(),
                "signer_position": document.signer_position,
                # The person who approved last is, as a rule, the one who signs.
                "signer_name": document.signer_name or _last_approver_name(document),
            },
        )
        super().__init__(*args, **kwargs)
        if agency_signs(document):
            # The text issued is the one the competent person signed; nothing to upload.
            del self.fields["main_file"]
        assert document.issuer_unit is not None
        registers = registers_of(document.issuer_unit, RegisterKind.OUTGOING)
        self.fields["register"].choices = [(r.pk, str(r)) for r in registers]  # type: ignore[attr-defined]
