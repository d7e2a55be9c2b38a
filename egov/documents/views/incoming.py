"""Pages: the clerk's queue of incoming documents, registration, the entry page with its
files, submission to the leader and return to the sender."""

from __future__ import annotations

from typing import Any, cast

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.documents import selectors, selectors_handling, services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import AccessKind, Entry, Register, RegisterKind
from egov.documents.permissions import clerk_agencies
from egov.documents.views.forms import ReasonForm, RegisterForm, SubmitForm
from egov.documents.workflow import Action, available_actions, require


def staff_only(request: HttpRequest) -> None:
    # 404 as for an object one may not see: the back office does not exist for citizens.
    if not is_staff_user(request.user):
        raise Http404


def actor(request: HttpRequest) -> User:
    """The signed-in member of staff (``staff_only`` has let only them through)."""
    return cast(User, request.user)


def show_error(form: dj_forms.Form, exc: DocumentError) -> None:
    """A service's refusal on the field it names, or at the top of the form."""
    field = exc.field
    if field == "due":  # the deadline is typed as working days or as a date
        given = [f for f in ("due_days", "due_on") if f in form.fields and form.cleaned_data.get(f)]
        field = given[0] if given else "due_on"
    form.add_error(field if field in form.fields else None, str(exc))


def refused(action: Action, request: HttpRequest, obj: Any, entry: Entry) -> HttpResponse | None:
    """May the user take the action now? 403 if never; back to the entry page if not now."""
    try:
        require(action, request.user, obj)
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except WrongState as exc:
        messages.error(request, str(exc))
        return redirect(entry)
    return None


def action_page(
    request: HttpRequest, *, entry: Entry, form: Any, title: str, button: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"entry": entry, "form": form, "title": title, "button": button, **extra}
    return render(request, "documents/handling/action.html", context, status=status)


# --- the clerk's queue and registration ------------------------------------------------


def incoming_queue(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    if not clerk_agencies(request.user).exists():
        raise PermissionDenied
    now = timezone.now()
    page = Paginator(selectors.clerk_queue(request.user).select_related("agency"), 50).get_page(
        request.GET.get("page")
    )
    rows = [(e, selectors_handling.submit_bucket(e, now)) for e in page]
    return render(request, "documents/incoming/queue.html", {"page": page, "rows": rows})


def _registers(request: HttpRequest) -> list[tuple[int, str]]:
    regs = Register.objects.filter(
        agency__in=clerk_agencies(request.user), kind=RegisterKind.INCOMING, is_active=True
    ).select_related("agency")
    return [(r.pk, f"{r.name} — {r.agency.name}") for r in regs.order_by("agency__path", "code")]


def incoming_register(request: HttpRequest) -> HttpResponse:
    """Register a document received on paper (scan) or as a file; a possible duplicate is shown
    with a link to the entry it resembles and must be confirmed."""
    staff_only(request)
    registers = _registers(request)
    if not registers:
        raise PermissionDenied
    if request.method != "POST":
        form = RegisterForm(registers=registers, initial={"issued_on": None})
        return render(request, "documents/incoming/register.html", {"form": form})
    form = RegisterForm(request.POST, request.FILES, registers=registers)
    duplicate = None
    if form.is_valid():
        data = form.cleaned_data
        register = get_object_or_404(Register.objects.select_related("agency"), pk=data["register"])
        meta = services.DocumentIn(
            **{k: str(data[k] or "") for k in _TEXT_FIELDS},  # type: ignore[arg-type]
            issued_on=data["issued_on"],
            page_count=data["page_count"],
            due_on=data["due_on"],
        )
        try:
            entry = services.entry_register(
                agency=register.agency,
                register=register,
                meta=meta,
                medium=data["medium"],
                main_file=data["main_file"],
                attachments=(data["attachment"],) if data["attachment"] else (),
                accept_duplicate=request.POST.get("accept_duplicate") == "on",
                by=actor(request),
            )
        except services.DuplicateEntry as exc:
            duplicate = exc.existing
            show_error(form, exc)
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except DocumentError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Registered as arrival number %(n)s.") % {"n": entry.arrival_number})
            return redirect(entry)
    context = {"form": form, "duplicate": duplicate}
    return render(request, "documents/incoming/register.html", context, status=422)


_TEXT_FIELDS = (
    "doc_type",
    "subject",
    "issuer_name",
    "number",
    "notation",
    "issuer_code",
    "description",
    "signer_position",
    "signer_name",
    "urgency",
    "secrecy",
    "identifier",
)


# --- the entry page ---------------------------------------------------------------------


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    now = timezone.now()
    assignments = [
        (
            a,
            selectors_handling.deadline_bucket(
                a.due_at, open_=a.state in ("pending", "in_progress"), now=now
            ),
            available_actions(request.user, a),
        )
        for a in selectors_handling.entry_assignments(entry)
    ]
    extensions = [
        (x, x.state == "pending" and Action.DECIDE_EXTENSION in available_actions(request.user, x.assignment))
        for x in selectors_handling.entry_extensions(entry)
    ]
    context = {
        "entry": entry,
        "doc": entry.document,
        "files": selectors_handling.entry_files(entry),
        "directions": selectors_handling.entry_directions(entry),
        "assignments": assignments,
        "notes": selectors_handling.entry_notes(entry),
        "extensions": extensions,
        "actions": available_actions(request.user, entry),
        # A handler answers the document with an outgoing one that links back to it.
        "can_answer": any(Action.NOTE in acts for _a, _b, acts in assignments),
        "bucket": selectors_handling.deadline_bucket(
            entry.due_at, open_=entry.state == "in_progress", now=now
        ),
        "submit_bucket": selectors_handling.submit_bucket(entry, now),
    }
    response = render(request, "documents/incoming/entry.html", context)
    # Every view of a document is in its agency's access log (Decree 30, Annex VI).
    services.access_record(document=entry.document, user=request.user, kind=AccessKind.VIEW)
    return response


def entry_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of the entry's document, always as a download (written to the access log)."""
    staff_only(request)
    stored = selectors_handling.entry_file_get_for_user(user=request.user, entry_pk=pk, file_pk=file_pk)
    return services.file_download_response(file=stored, user=request.user)


# --- submit and return ------------------------------------------------------------------


def _submit_form(request: HttpRequest, entry: Entry, data: Any = None) -> SubmitForm:
    leaders = [(u.pk, u.get_full_name()) for u in selectors_handling.leaders_of(entry.agency)]
    registers = None
    if entry.arrival_number is None:
        regs = selectors.registers_of(entry.agency, RegisterKind.INCOMING)
        registers = [(r.pk, r.name) for r in regs]
    return SubmitForm(data, leaders=leaders, registers=registers)


def entry_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the document before a leader (a delivered one gets its arrival number first)."""
    staff_only(request)
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    if (response := refused(Action.SUBMIT, request, entry, entry)) is not None:
        return response
    title, button = _("Submit to the leader"), _("Submit")
    if request.method != "POST":
        return action_page(
            request, entry=entry, form=_submit_form(request, entry), title=title, button=button
        )
    form = _submit_form(request, entry, request.POST)
    if form.is_valid():
        try:
            if "register" in form.cleaned_data:
                register = get_object_or_404(Register, pk=form.cleaned_data["register"])
                entry = services.entry_number(entry=entry, register=register, by=actor(request))
            leader = get_object_or_404(User, pk=form.cleaned_data["leader"])
            services.entry_submit(entry=entry, leader=leader, by=actor(request))
        except DocumentError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Submitted to %(name)s.") % {"name": leader.get_full_name()})
            return redirect(entry)
    return action_page(request, entry=entry, form=form, title=title, button=button, status=422)


def entry_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an electronic document back to its sender, with the reason."""
    staff_only(request)
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    if (response := refused(Action.RETURN, request, entry, entry)) is not None:
        return response
    title, button = _("Return to the sender"), _("Return")
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return action_page(request, entry=entry, form=form, title=title, button=button)
    if form.is_valid():
        try:
            services.entry_return(entry=entry, reason=form.cleaned_data["reason"], by=actor(request))
        except DocumentError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The document was returned to its sender."))
            return redirect(entry)
    return action_page(request, entry=entry, form=form, title=title, button=button, status=422)


urlpatterns: list[URLPattern] = [
    path("incoming/", incoming_queue, name="incoming_queue"),
    path("incoming/register/", incoming_register, name="incoming_register"),
    path("entries/<int:pk>/", entry_detail, name="entry"),
    path("entries/<int:pk>/files/<int:file_pk>/", entry_file, name="entry_file"),
    path("entries/<int:pk>/submit/", entry_submit, name="entry_submit"),
    path("entries/<int:pk>/return/", entry_return, name="entry_return"),
]
