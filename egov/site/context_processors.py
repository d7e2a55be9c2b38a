"""Template context for the site menu, which shows links into several apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from egov.catalog.permissions import can_edit_catalogue
from egov.documents.selectors_handling import has_document_role
from egov.dossiers.permissions import sees_everything, visible_paths


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "egov_demo": settings.DEMO,
        "egov_demo_relax_2fa": settings.DEMO_RELAX_2FA,
        # Lazy: evaluated only when a template asks, so anonymous pages cost no query.
        "can_edit_catalogue": lambda: can_edit_catalogue(request.user),
        # Dossiers and citizens' feedback only for those whose roles show them any dossier.
        "sees_dossiers": lambda: sees_everything(request.user) or bool(visible_paths(request.user)),
        # The document system ("Văn bản") for staff holding a role that works with documents.
        "sees_documents": lambda: has_document_role(request.user),
    }
