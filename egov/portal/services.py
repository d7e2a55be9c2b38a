"""Writes of the citizen portal: profile, drafts and online submission, ratings, feedback.

Every service is atomic and audited; messages to the citizen are queued in the same transaction
(sent after commit by egov.notifications)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.catalog.models import Procedure, ProcedureVersion, RequiredPaper
from egov.core.uploads import check_upload
from egov.dossiers.models import FINISHED_STATES, Dossier
from egov.dossiers.services import ApplicantIn, PaperIn, dossier_register_online
from egov.notifications.services import notification_send
from egov.orgs.models import Unit
from egov.portal.identity.identifiers import phone_display
from egov.portal.models import (
    CitizenProfile,
    DraftFile,
    Feedback,
    PortalDraft,
    Rating,
    RatingScore,
)
from egov.portal.permissions import can_answer_feedback

# Bounds on what one draft may hold: enough for any real dossier, not a free file store.
MAX_FILES_PER_PAPER = 10
MAX_FILES_PER_DRAFT = 40
DRAFT_STEPS = ("applicant", "delivery")


class PortalError(Exception):
    """A portal action that cannot be done; the message is for the citizen."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- profile

PROFILE_FIELDS = ("applicant_kind", "full_name", "id_number", "address", "phone", "email")


@transaction.atomic
def profile_save(*, user: User, **values: str) -> CitizenProfile:
    """Save the citizen's details used to prefill applications."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields {sorted(unknown)}")
    profile, _created = CitizenProfile.objects.get_or_create(
        user=user, defaults={"full_name": user.full_name}
    )
    before = {f: getattr(profile, f) for f in PROFILE_FIELDS}
    for key, value in values.items():
        setattr(profile, key, value.strip())
    profile.full_clean(exclude=["user"])
    profile.save()
    audit_record(
        event=AuditEvent.PORTAL_PROFILE_SAVED,
        actor=user,
        target=user,
        before=before,
        after={f: getattr(profile, f) for f in PROFILE_FIELDS},
    )
    return profile


# ---------------------------------------------------------------- drafts


def _prefill(user: User) -> dict[str, Any]:
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None:
        return {
            "applicant": {
                "kind": "citizen",
                "name": user.full_name,
                "phone": phone_display(user.phone),
                "email": user.email,
            }
        }
    return {
        "applicant": {
            "kind": profile.applicant_kind,
            "name": profile.full_name,
            "id_number": profile.id_number,
            "address": profile.address,
            "phone": phone_display(profile.phone),
            "email": profile.email,
        },
        "delivery": {"return_address": profile.address},
    }


@transaction.atomic
def draft_start(*, user: User, version: ProcedureVersion) -> PortalDraft:
    """The citizen's open draft for this procedure version, or a new one prefilled from the profile."""
    if version.online_level == "none":
        raise PortalError(_("This procedure cannot be submitted online."))
    existing = (
        PortalDraft.objects.filter(user=user, version=version, dossier__isnull=True)
        .order_by("-updated_at")
        .first()
    )
    if existing is not None and not existing.is_expired:
        return existing
    return PortalDraft.objects.create(
        user=user, version=version, token=uuid.uuid4().hex, data=_prefill(user), updated_at=timezone.now()
    )


def _require_open(draft: PortalDraft) -> None:
    if draft.dossier_id is not None:
        raise PortalError(_("This application was already submitted."))
    if draft.is_expired:
        raise PortalError(_("This draft has expired. Start the application again."))


@transaction.atomic
def draft_save_step(*, draft: PortalDraft, step: str, values: dict[str, str]) -> PortalDraft:
    """Keep what was typed in a step, valid or not: nothing the citizen typed is lost."""
    if step not in DRAFT_STEPS:
        raise ValueError(f"unknown step {step!r}")
    draft = PortalDraft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    draft.data = {**draft.data, step: {k: str(v)[:2000] for k, v in values.items()}}
    draft.updated_at = timezone.now()
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def draft_add_file(*, draft: PortalDraft, paper: RequiredPaper, upload: Any) -> DraftFile:
    """Store an uploaded scan for one required paper, checked by its content (not its name)."""
    _require_open(draft)
    if paper.version_id != draft.version_id:
        raise ValueError("paper of another procedure version")
    if draft.files.filter(paper=paper).count() >= MAX_FILES_PER_PAPER:
        raise PortalError(_("At most %(n)s files per paper.") % {"n": MAX_FILES_PER_PAPER})
    if draft.files.count() >= MAX_FILES_PER_DRAFT:
        raise PortalError(_("At most %(n)s files per application.") % {"n": MAX_FILES_PER_DRAFT})
    checked = check_upload(upload)
    record = DraftFile(
        draft=draft,
        paper=paper,
        name=(upload.name or "")[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    record.file.save(f"{draft.pk}-{checked.sha256[:16]}.{checked.extension}", upload, save=False)
    record.save()
    PortalDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    return record


@transaction.atomic
def draft_remove_file(*, draft: PortalDraft, file_id: int) -> None:
    _require_open(draft)
    record = draft.files.filter(pk=file_id).first()
    if record is not None:
        _delete_files([record])
        record.delete()


def _delete_files(files: list[DraftFile]) -> None:
    """Remove the stored bytes once the rows are gone for good (not if the transaction fails)."""
    for record in files:
        name, storage = record.file.name, record.file.storage
        if name:
            transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def draft_delete(*, draft: PortalDraft) -> None:
    """Throw an unsubmitted draft away with its files (drafts are not records)."""
    if draft.dossier_id is not None:
        raise PortalError(_("This application was already submitted."))
    _delete_files(list(draft.files.all()))
    draft.files.all().delete()
    draft.delete()


@transaction.atomic
def draft_submit(
    *,
    draft: PortalDraft,
    applicant: ApplicantIn,
    unit: Unit,
    return_method: str,
    return_address: str,
    summary: str,
    by: Actor,
) -> Dossier:
    """Submit the draft as an online dossier (national status 1). Posting twice — a double click,
    a retry after a timeout, two tabs — yields the one dossier: the draft row is locked, and
    the draft's token is the dossier's intake token."""
    draft = PortalDraft.objects.select_for_update().select_related("version").get(pk=draft.pk)
    if draft.dossier_id is not None:
        assert draft.dossier is not None
        return draft.dossier
    _require_open(draft)
    version = draft.version
    files = list(draft.files.select_related("paper"))
    papers = _papers_to_submit(version, files)
    with contextlib.ExitStack() as stack:
        uploads = []
        for record in files:
            handle = stack.enter_context(record.file.open("rb"))
            uploads.append(File(handle, name=f"{record.paper.name} — {record.name}"[:255]))
        try:
            with transaction.atomic():
                dossier = dossier_register_online(
                    unit=unit,
                    version=version,
                    applicant=applicant,
                    papers=[PaperIn(p.name, p.originals, p.certified_copies, p.photocopies) for p in papers],
                    return_method=return_method,
                    return_address=return_address,
                    summary=summary,
                    applicant_user=by,
                    files=uploads,
                    intake_token=draft.token,
                )
        except IntegrityError:
            # Another process registered this token between our checks (PostgreSQL without the lock).
            dossier = Dossier.objects.get(intake_token=draft.token)
    draft.dossier = dossier
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["dossier", "submitted_at"])
    audit_record(
        event=AuditEvent.PORTAL_DRAFT_SUBMITTED,
        actor=by,
        target=dossier,
        scope_path=dossier.receiving_unit.path,
        after={"draft": draft.pk, "files": len(files)},
    )
    _notify_submitted(dossier, version)
    return dossier


def _papers_to_submit(version: ProcedureVersion, files: list[DraftFile]) -> list[RequiredPaper]:
    """The version's papers the dossier lists; PortalError naming any required one not attached."""
    attached = {f.paper_id for f in files}
    # A paper "only if any" that the citizen did not attach is not part of the dossier.
    papers = [p for p in version.papers.all() if not p.optional or p.pk in attached]
    missing = [p.name for p in papers if p.pk not in attached]
    if missing:
        raise PortalError(
            _("Attach every required paper: %(names)s.") % {"names": "; ".join(missing)}, "papers"
        )
    return papers


def _notify_submitted(dossier: Dossier, version: ProcedureVersion) -> None:
    if dossier.applicant_email or dossier.applicant_phone:
        notification_send(
            kind="dossier.registered",
            subject=_("Dossier %(code)s submitted") % {"code": dossier.code},
            body=_(
                "We received your online application %(code)s (%(name)s). An officer will check it "
                "and you will be told when processing starts. Look-up code: %(secret)s."
            )
            % {"code": dossier.code, "name": version.name, "secret": dossier.lookup_secret},
            email=dossier.applicant_email,
            phone=dossier.applicant_phone,
            related=dossier,
        )


def drafts_purge_expired(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Delete drafts untouched for longer than their lifetime, with their files. Safe to run twice."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EGOV_PORTAL_DRAFT_DAYS)
    purged = 0
    for pk in list(
        PortalDraft.objects.filter(dossier__isnull=True, updated_at__lte=cutoff).values_list("pk", flat=True)[
            :limit
        ]
    ):
        with transaction.atomic():
            draft = PortalDraft.objects.select_for_update().filter(pk=pk, dossier__isnull=True).first()
            if draft is None or draft.updated_at > cutoff:
                continue
            _delete_files(list(draft.files.all()))
            draft.files.all().delete()
            draft.delete()
            purged += 1
    return purged


# ---------------------------------------------------------------- ratings and feedback


@transaction.atomic
def rating_submit(*, dossier: Dossier, by: Actor, score: str, comment: str = "") -> Rating:
    """The applicant rates a finished dossier, once."""
    if dossier.applicant_user_id != by.pk:
        raise PortalError(_("Only the applicant can rate this dossier."))
    if dossier.state not in FINISHED_STATES:
        raise PortalError(_("You can rate the dossier once it is resolved."))
    if score not in RatingScore.values:
        raise PortalError(_("Choose how satisfied you are."), "score")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(dossier=dossier, user=by, score=score, comment=comment.strip())
    except IntegrityError:
        raise PortalError(_("You have already rated this dossier.")) from None
    audit_record(
        event=AuditEvent.PORTAL_DOSSIER_RATED,
        actor=by,
        target=dossier,
        scope_path=dossier.receiving_unit.path,
        after={"score": score},
    )
    return rating


@transaction.atomic
def feedback_send(
    *,
    by: Actor,
    kind: str,
    about: str,
    subject: str,
    body: str,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    officer_name: str = "",
) -> Feedback:
    """Record feedback or a recommendation (phản ánh, kiến nghị) for the agency to answer."""
    if dossier is not None and dossier.applicant_user_id != by.pk:
        raise PortalError(_("Choose one of your own dossiers."), "dossier")
    feedback = Feedback(
        user=by,
        kind=kind,
        about=about,
        dossier=dossier,
        procedure=procedure or (dossier.procedure_version.procedure if dossier else None),
        officer_name=officer_name.strip(),
        subject=subject.strip(),
        body=body.strip(),
    )
    feedback.full_clean(exclude=["user", "dossier", "procedure", "answered_by"])
    feedback.save()
    audit_record(
        event=AuditEvent.PORTAL_FEEDBACK_SENT,
        actor=by,
        target=feedback,
        scope_path=dossier.receiving_unit.path if dossier else "",
        after={"kind": kind, "about": about, "dossier": dossier.pk if dossier else None},
    )
    return feedback


@transaction.atomic
def feedback_answer(*, feedback: Feedback, answer: str, by: Actor) -> Feedback:
    """Answer a citizen's feedback; the citizen is told and sees the answer in the portal."""
    feedback = (
        Feedback.objects.select_for_update(of=("self",)).select_related("user", "dossier").get(pk=feedback.pk)
    )
    if not can_answer_feedback(by, feedback):
        raise PermissionDenied(_("You do not answer feedback for this agency."))
    if feedback.answered_at is not None:
        raise PortalError(_("This feedback has already been answered."))
    if not answer.strip():
        raise PortalError(_("Write the answer."), "answer")
    feedback.answer = answer.strip()
    feedback.answered_by = by
    feedback.answered_at = timezone.now()
    feedback.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        event=AuditEvent.PORTAL_FEEDBACK_ANSWERED,
        actor=by,
        target=feedback,
        scope_path=feedback.dossier.receiving_unit.path if feedback.dossier else "",
    )
    citizen = feedback.user
    profile = CitizenProfile.objects.filter(user=citizen).first()
    email = (profile.email if profile else "") or citizen.email
    phone = (profile.phone if profile else "") or citizen.phone
    if email or phone:
        notification_send(
            kind="portal.feedback_answered",
            subject=_("Answer to your feedback: %(s)s") % {"s": feedback.subject},
            body=_("The agency answered your feedback “%(s)s”. Sign in to egov to read the answer.")
            % {"s": feedback.subject},
            email=email,
            phone=phone,
            related=feedback,
        )
    return feedback
