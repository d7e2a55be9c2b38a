"""The official forms (Circular 03/2025, Annex I) rendered from HTML templates to PDF.

Templates live in templates/dossiers/forms/; a province adjusts a layout by placing a file
with the same name in EGOV_FORM_TEMPLATES_DIR, which is searched first. Each generated PDF is
stored with its SHA-256, so what was handed to the applicant can be proven later."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier, DossierFile, DossierState, FileKind

FORM_TITLES = {
    "01": _("Receipt and appointment for the result"),
    "02": _("Request to supplement the dossier"),
    "03": _("Refusal to receive the dossier"),
    "04": _("Apology and new appointment"),
    "05": _("Notice that processing stopped"),
    "06": _("Processing control slip"),
}
TEMPLATE_VERSION = "2025.1"


def forms_available(dossier: Dossier) -> list[str]:
    """Which forms make sense for this dossier now."""
    available = []
    if dossier.state == DossierState.REFUSED:
        return ["03"]
    if dossier.received_at and dossier.state != DossierState.REGISTERED:
        available.append("01")
    if dossier.pauses.filter(kind="supplement").exists():
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
        "pause": dossier.pauses.filter(kind="supplement").order_by("-started_at").first(),
        "extension": dossier.extensions.order_by("-created_at").first(),
        "committee": dossier.resolving_unit,
        "template_version": TEMPLATE_VERSION,
    }
    return render_to_string(f"dossiers/forms/form_{form_no}.html", context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


@transaction.atomic
def form_pdf(*, dossier: Dossier, form_no: str, by: Any) -> DossierFile:
    """Render, store and return the form; an identical earlier rendering is reused."""
    if form_no not in FORM_TITLES:
        raise ValueError(form_no)
    pdf = html_to_pdf(render_form_html(dossier, form_no))
    # WeasyPrint stamps a creation date into the file; hash the content we would render
    # instead, so asking twice for an unchanged form gives the same stored file.
    digest = hashlib.sha256(render_form_html(dossier, form_no).encode()).hexdigest()
    existing = dossier.files.filter(kind=FileKind.FORM, form_no=form_no, sha256=digest).first()
    if existing is not None:
        return existing
    record = DossierFile(
        dossier=dossier,
        kind=FileKind.FORM,
        form_no=form_no,
        name=f"mau-{form_no}-{dossier.code}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=digest,
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    record.file.save(f"{dossier.pk}-form{form_no}-{digest[:16]}.pdf", ContentFile(pdf), save=False)
    record.save()
    return record
