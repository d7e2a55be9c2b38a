"""What the applicant is told, and when. Sending happens after commit (egov.notifications)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.models import Dossier


def _message(dossier: Dossier, kind: str) -> tuple[str, str]:
    code = dossier.code
    if kind == "received":
        due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
        return (
            _("Dossier %(code)s received") % {"code": code},
            _(
                "Your dossier %(code)s (%(name)s) was received. Expected result: %(due)s. Look-up code: %(secret)s."
            )
            % {
                "code": code,
                "name": dossier.procedure_version.name,
                "due": due,
                "secret": dossier.lookup_secret,
            },
        )
    if kind == "supplement":
        return (
            _("Dossier %(code)s: papers to supplement") % {"code": code},
            _("Your dossier %(code)s needs more papers. Please see the request and supplement them.")
            % {"code": code},
        )
    if kind == "refused":
        return (
            _("Dossier %(code)s not accepted") % {"code": code},
            _("Your dossier %(code)s (%(name)s) was not accepted. Reason: %(reason)s")
            % {"code": code, "name": dossier.procedure_version.name, "reason": dossier.outcome_reason},
        )
    if kind == "extended":
        due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
        return (
            _("Dossier %(code)s: new date") % {"code": code},
            _("We apologise: your dossier %(code)s needs more time. New date: %(due)s.")
            % {"code": code, "due": due},
        )
    if kind == "result_ready":
        return (
            _("Dossier %(code)s: result ready") % {"code": code},
            _("The result of your dossier %(code)s is ready.") % {"code": code},
        )
    raise KeyError(kind)


def notify_applicant(dossier: Dossier, kind: str) -> None:
    """Queue a message to the applicant's e-mail and phone (sent by workers after commit)."""
    if not (dossier.applicant_email or dossier.applicant_phone):
        return
    try:
        from egov.notifications.services import notification_send
    except ImportError:  # the notifications app is optional in minimal deployments
        return
    subject, body = _message(dossier, kind)
    notification_send(
        kind=f"dossier.{kind}",
        subject=subject,
        body=body,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        related=dossier,
    )
