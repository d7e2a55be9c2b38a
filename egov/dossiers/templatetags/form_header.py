"""`{% form_header %}`: Decree 30's header block for the printed forms (also used by form 07,
whose context is built in the register view)."""

from __future__ import annotations

from typing import Any

from django import template

from egov.dossiers.pdf import form_header as header_context
from egov.orgs.models import Unit

register = template.Library()


@register.inclusion_tag("dossiers/forms/_header.html")
def form_header(parent: Unit | None, issuer: Unit, now: Any) -> dict[str, Any]:
    return {**header_context(parent=parent, issuer=issuer), "now": now}
