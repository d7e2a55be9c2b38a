"""One-stop back office pages: intake, lists, the dossier page and its actions.

The pages are grouped in the modules of this package; this module re-exports the views
``egov.dossiers.urls`` routes to and the names the tests use."""

from __future__ import annotations

from egov.dossiers.views.common import _add_validation_error
from egov.dossiers.views.detail import ACTIONS, dossier_action, dossier_detail, dossier_file, dossier_form_pdf
from egov.dossiers.views.intake import intake_form, intake_pick, intake_refuse
from egov.dossiers.views.lists import VIEWS, dossier_list, dossier_register

__all__ = [
    "ACTIONS",
    "VIEWS",
    "_add_validation_error",
    "dossier_action",
    "dossier_detail",
    "dossier_file",
    "dossier_form_pdf",
    "dossier_list",
    "dossier_register",
    "intake_form",
    "intake_pick",
    "intake_refuse",
]
