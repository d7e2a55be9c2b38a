"""Who read a document (the access log, Annex VI) and who may read a secret one (grants).

Every page or API operation that shows a document, or serves one of its files, records it:

* a page or API answer that shows a document: ``access_record(document=d, user=request.user,
  kind=AccessKind.VIEW)`` after the access helper (``document_get_for_user`` /
  ``entry_get_for_user``) has let the user in;
* a file download: return ``file_download_response(file=f, user=request.user)``, which records
  DOWNLOAD and serves the stored file as an attachment;
* a printed or exported copy: ``access_record(..., kind=AccessKind.PRINT / EXPORT)``.

The view decorator :func:`records_view` does the first for views whose keyword argument names
the document (``pk`` of a document by default).

Grants: a leader of an agency holding a secret document names who else may read it; every
change is audited and the agency's unit administrators are alerted by e-mail."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role, RoleAssignment, User
from egov.accounts.permissions import is_staff_user
from egov.accounts.types import Actor, Visitor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.core.uploads import attachment_response
from egov.documents.errors import DocumentError
from egov.documents.models import AccessGrant, AccessKind, AccessLog, Document, DocumentFile
from egov.documents.permissions import agency_of, is_leader_of
from egov.documents.workflow import Action, holding_agencies, require
from egov.notifications.services import notification_send
from egov.orgs.models import Unit, path_prefixes


def access_record(
    *, document: Document, user: Visitor, kind: str, file: DocumentFile | None = None
) -> AccessLog | None:
    """Append one row to the access log. Anonymous visitors and citizens read no documents
    here, so nothing is written for them (the access helpers already refused them)."""
    if not is_staff_user(user):
        return None
    if kind not in AccessKind.values:
        raise ValueError(f"unknown access kind {kind!r}")
    assert isinstance(user, User)
    return AccessLog.objects.create(document=document, file=file, user=user, kind=kind, at=timezone.now())


def file_download_response(
    *, file: DocumentFile, user: Visitor, kind: str = AccessKind.DOWNLOAD
) -> FileResponse:
    """Serve a stored document file as an attachment and record the download. The caller has
    fetched ``file`` through a document the user may read."""
    access_record(document=file.document, user=user, kind=kind, file=file)
    return attachment_response(
        file.file.open("rb"), content_type=file.content_type, name=file.name, stored_name=file.file.name or ""
    )


def records_view(
    get_document: Callable[..., Document] | None = None, *, kind: str = AccessKind.VIEW
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view so that a successful (2xx) answer records an access to the document.

    ``get_document(request, **kwargs)`` names the document; by default it is the document with
    the view's ``pk`` that the user may read (the view itself still fetches it through its access
    helper; this only writes the log after the view answered)."""

    def default(request: HttpRequest, **kwargs: Any) -> Document:
        from egov.documents.selectors import document_get_for_user

        return document_get_for_user(user=request.user, pk=int(kwargs["pk"]))

    finder = get_document or default

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                access_record(document=finder(request, **kwargs), user=request.user, kind=kind)
            return response

        return wrapped

    return decorator


# ---------------------------------------------------------------- grants on secret documents


def _agency_for(by: Actor, document: Document) -> Unit:
    """The holding agency the leader acts for (the first one they lead)."""
    for agency in holding_agencies(document):
        if is_leader_of(by, agency):
            return agency
    raise DocumentError(_("You do not lead an agency that holds this document."))


def works_in(person: User, agency: Unit) -> bool:
    """The person holds a role in the agency itself or one of its divisions (not in another
    agency below it, such as a department under a People's Committee)."""
    if not (is_staff_user(person) and person.is_active):
        return False
    roles = RoleAssignment.objects.active().filter(user=person, unit__path__startswith=agency.path)
    return any(agency_of(r.unit).pk == agency.pk for r in roles.select_related("unit"))


def unit_admins_of(agency: Unit) -> list[User]:
    """The agency's unit administrators: a UNIT_ADMIN role at the agency or any unit above it."""
    prefixes = path_prefixes(agency.path)
    return list(
        User.objects.filter(
            roles__role=Role.UNIT_ADMIN,
            roles__revoked_at__isnull=True,
            roles__unit__path__in=prefixes,
            is_active=True,
        ).distinct()
    )


def _alert_admins(*, agency: Unit, document: Document, person: User, by: Actor, granted: bool) -> None:
    # The alert names the document by its number only: a secret subject stays out of e-mail.
    label = document.number_notation or f"#{document.pk}"
    if granted:
        subject = _("Access granted to secret document %(doc)s") % {"doc": label}
        body = _("%(by)s granted %(person)s access to the secret document %(doc)s of %(agency)s.")
    else:
        subject = _("Access revoked on secret document %(doc)s") % {"doc": label}
        body = _("%(by)s revoked the access of %(person)s to the secret document %(doc)s of %(agency)s.")
    values = {"by": by.get_full_name(), "person": person.get_full_name(), "doc": label, "agency": agency.name}
    for admin in unit_admins_of(agency):
        if admin.email:
            notification_send(
                kind="documents.access_changed",
                subject=subject,
                body=body % values,
                email=admin.email,
                related=document,
            )


@transaction.atomic
def access_grant(*, document: Document, person: User, by: Actor) -> AccessGrant:
    """Let ``person`` (who works in the agency) read the secret ``document``."""
    require(Action.GRANT_ACCESS, by, document)
    agency = _agency_for(by, document)
    if not works_in(person, agency):
        raise DocumentError(
            _("Access can be given only to people who work in %(agency)s.") % {"agency": agency.name},
            field="person",
        )
    if (
        AccessGrant.objects.select_for_update()
        .filter(document=document, person=person, revoked_at__isnull=True)
        .exists()
    ):
        raise DocumentError(
            _("%(person)s already has access to this document.") % {"person": person.get_full_name()},
            field="person",
        )
    grant = AccessGrant.objects.create(
        document=document, person=person, granted_by=by, granted_at=timezone.now()
    )
    _alert_admins(agency=agency, document=document, person=person, by=by, granted=True)
    audit_record(
        event=AuditEvent.DOCUMENT_ACCESS_CHANGED,
        actor=by,
        target=document,
        scope_path=agency.path,
        after={"change": "granted", "person": person.pk, "grant": grant.pk},
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: AccessGrant, by: Actor) -> AccessGrant:
    """End a grant; the person no longer reads the document (unless assigned to it)."""
    document = grant.document
    require(Action.REVOKE_ACCESS, by, document)
    agency = _agency_for(by, document)
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise DocumentError(_("This access was already revoked."))
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    _alert_admins(agency=agency, document=document, person=grant.person, by=by, granted=False)
    audit_record(
        event=AuditEvent.DOCUMENT_ACCESS_CHANGED,
        actor=by,
        target=document,
        scope_path=agency.path,
        after={"change": "revoked", "person": grant.person_id, "grant": grant.pk},
    )
    return grant


def grants_of(document: Document) -> QuerySet[AccessGrant]:
    """Every grant of the document, current and revoked, newest first."""
    return (
        AccessGrant.objects.filter(document=document)
        .select_related("person", "granted_by", "revoked_by")
        .order_by("-granted_at")
    )
