"""The official forms (Circular 03/2025, Annex I) rendered from HTML templates to PDF.

Templates live in templates/dossiers/forms/; a province adjusts a layout by placing a file
with the same name in EGOV_FORM_TEMPLATES_DIR, which is searched first. Each form is issued by
``dossier_form_issue``: rendered once per content, stored with the SHA-256 of its bytes (so what
was handed to the applicant can be proven later) and audited."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.dossiers.models import Dossier, DossierFile, DossierState, FileKind, PauseKind
from egov.orgs.models import Unit

FORM_TITLES = {
    "01": _("Receipt and appointment for the result"),
    "02": _("Request to supplement the dossier"),
    "03": _("Refusal to receive the dossier"),
    "04": _("Apology and new appointment"),
    "05": _("Notice that processing stopped"),
    "06": _("Processing control slip"),
}
TEMPLATE_VERSION = "2025.1"
# The event whose actor signs each form; forms 01 and 06 name their people from the dossier itself.
SIGNER_EVENTS = {"02": "supplement_requested", "03": "refused", "04": "extended", "05": "stopped"}
# Unit-kind words that open an area's name, longest first, for areas imported without a unit type.
AREA_PREFIXES = (
    "thành phố trực thuộc trung ương",
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
)


def area_of(unit: Unit) -> Unit | None:
    """The administrative area (province, district or commune) the unit sits in."""
    current: Unit | None = unit
    while current is not None and not current.is_area:
        current = current.parent
    return current


def place_name(unit: Unit) -> str:
    """The place name of Decree 30's date line ("Rạch Giá, ngày …").

    Units carry no place-name field, so it is derived from the area the unit sits in: the area's
    name without its unit-kind word ("Thành phố Rạch Giá" → "Rạch Giá", "Phường Vĩnh Thanh" →
    "Vĩnh Thanh")."""
    area = area_of(unit)
    if area is None:
        return ""
    name = area.name.strip()
    prefixes = ((area.unit_type.strip(),) if area.unit_type.strip() else ()) + AREA_PREFIXES
    for prefix in prefixes:
        if name.lower().startswith(prefix.lower() + " "):
            rest = name[len(prefix) :].strip()
            # "Phường 5, ngày …" — a numbered ward keeps its kind word.
            return name if rest.isdigit() else rest
    return name


def agency_line(unit: Unit) -> tuple[str, str]:
    """The agency name split so that a line break can never fall inside its place name:
    ("Ủy ban nhân dân", "phường Vĩnh Thanh"); the second part is printed unbreakable."""
    area = area_of(unit)
    name = unit.name.strip()
    if area is not None and area.pk != unit.pk:
        tail = area.name.strip()
        if tail and name.lower().endswith(" " + tail.lower()):
            return name[: -len(tail)].strip(), name[-len(tail) :]
    return name, ""


def form_header(*, parent: Unit | None, issuer: Unit) -> dict[str, Any]:
    """Decree 30's header block: the supervising agency (plain), the issuing agency (bold), the
    place name for the date line."""
    lines = []
    if parent is not None and parent.pk != issuer.pk:
        lines.append({"parts": agency_line(parent), "bold": False})
    lines.append({"parts": agency_line(issuer), "bold": True})
    return {"agency_lines": lines, "place": place_name(issuer)}


def form_signer(dossier: Dossier, form_no: str) -> Any:
    """Who signs the form: the person who did what the form records."""
    kind = SIGNER_EVENTS.get(form_no)
    if kind is None:
        return dossier.created_by
    event = dossier.events.filter(kind=kind).select_related("actor").order_by("-at", "-pk").first()
    return event.actor if event is not None and event.actor is not None else None


def forms_available(dossier: Dossier) -> list[str]:
    """Which forms make sense for this dossier now."""
    available = []
    if dossier.state == DossierState.REFUSED:
        return ["03"]
    if dossier.received_at and dossier.state != DossierState.REGISTERED:
        available.append("01")
    if dossier.pauses.filter(kind=PauseKind.SUPPLEMENT).exists():
        available.append("02")
    if dossier.extensions.exists():
        available.append("04")
    if dossier.state == DossierState.STOPPED:
        available.append("05")
    if dossier.steps.exists():
        available.append("06")
    return available


def render_form_html(dossier: Dossier, form_no: str) -> str:
    # The forms are legal documents in Vietnamese whatever language the officer's screen uses.
    with translation.override("vi"):
        return _render(dossier, form_no)


def _render(dossier: Dossier, form_no: str) -> str:
    context: dict[str, Any] = {
        "d": dossier,
        "title": FORM_TITLES[form_no],
        "form_no": form_no,
        "now": timezone.localtime(),
        "papers": dossier.papers.all(),
        "steps": dossier.steps.select_related("unit", "finished_by"),
        "pause": dossier.pauses.filter(kind=PauseKind.SUPPLEMENT).order_by("-started_at").first(),
        "extension": dossier.extensions.order_by("-created_at").first(),
        "committee": dossier.resolving_unit,
        "signer": form_signer(dossier, form_no),
        "template_version": TEMPLATE_VERSION,
    }
    return render_to_string(f"dossiers/forms/form_{form_no}.html", context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def _stored_form(dossier: Dossier, form_no: str, content_key: str) -> DossierFile | None:
    return dossier.files.filter(kind=FileKind.FORM, form_no=form_no, content_key=content_key).first()


def dossier_form_issue(*, dossier: Dossier, form_no: str, by: Actor) -> DossierFile:
    """Issue the form: the stored copy of the same content, or one rendered, stored and audited now.

    The HTML is cheap and its hash is the content key; the PDF is rendered only when no stored
    copy has that key. Rendering takes seconds and happens outside any transaction: on SQLite a
    transaction holds the database's one write lock from its start (IMMEDIATE), and a worker or
    another request waiting behind a PDF rendering failed with "database is locked". The stored
    file's ``sha256`` is that of its bytes, so what was handed to the applicant can be proven."""
    if form_no not in FORM_TITLES:
        raise ValueError(form_no)
    html = render_form_html(dossier, form_no)
    content_key = hashlib.sha256(html.encode()).hexdigest()
    existing = _stored_form(dossier, form_no, content_key)
    if existing is not None:
        return existing
    pdf = html_to_pdf(html)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        existing = _stored_form(dossier, form_no, content_key)
        if existing is not None:  # rendered meanwhile by a second click
            return existing
        record = DossierFile(
            dossier=dossier,
            kind=FileKind.FORM,
            form_no=form_no,
            name=f"mau-{form_no}-{dossier.code}.pdf",
            content_type="application/pdf",
            size=len(pdf),
            sha256=digest,
            content_key=content_key,
            uploaded_by=by if getattr(by, "pk", None) else None,
        )
        record.file.save(f"{dossier.pk}-form{form_no}-{content_key[:16]}.pdf", ContentFile(pdf), save=False)
        record.save()
        audit_record(
            event=AuditEvent.DOSSIER_FORM_ISSUED,
            actor=by,
            target=dossier,
            scope_path=dossier.receiving_unit.path,
            after={
                "form_no": form_no,
                "file": record.pk,
                "sha256": digest,
                "size": record.size,
                "template_version": TEMPLATE_VERSION,
            },
        )
        return record


# The name the form download view calls.
form_pdf = dossier_form_issue
