"""Timeline event kinds and their labels."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "registered": _("Registered online"),
    "received": _("Received at the counter"),
    "refused": _("Refused at intake (form 03)"),
    "step_started": _("Step started"),
    "step_assigned": _("Step assigned"),
    "forwarded": _("Forwarded to the next step"),
    "sent_back": _("Sent back"),
    "handed_over": _("Handed over to another agency"),
    "supplement_requested": _("Supplement requested (form 02)"),
    "supplement_received": _("Supplement received"),
    "supplement_submitted": _("Supplement submitted online"),
    "papers_received": _("Supplement received before acceptance"),
    "paused": _("Clock paused"),
    "resumed": _("Clock resumed"),
    "extended": _("Time extended (form 04)"),
    "stopped": _("Processing stopped (form 05)"),
    "withdrawn": _("Withdrawn by the applicant"),
    "decided": _("Decision recorded"),
    "returned": _("Result returned"),
    "overdue": _("Passed its due time"),
    "form_generated": _("Form generated"),
}
