"""``{% signature_reports files as reports %}`` reads the stored checks of a page's files in one
query; ``{% signature_badge reports file %}`` renders a PDF's badge (nothing for other files)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from egov.signatures.models import ValidationReport
from egov.signatures.selectors import PDF, badge_view, reports_for

register = template.Library()


@register.simple_tag
def signature_reports(files: Iterable[Any]) -> dict[str, ValidationReport]:
    return reports_for(getattr(f, "sha256", "") for f in files if getattr(f, "content_type", "") == PDF)


@register.inclusion_tag("signatures/partials/_badge.html")
def signature_badge(reports: dict[str, ValidationReport], file: Any) -> dict[str, Any]:
    report = reports.get(getattr(file, "sha256", "")) if getattr(file, "content_type", "") == PDF else None
    if report is None:
        return {"check": None}
    return {"check": badge_view(report.verdict, report.summary, report.signatures or [])}
