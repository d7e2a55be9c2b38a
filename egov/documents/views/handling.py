"""Pages: the leader's queue and direction form (used on a phone), the handler's inbox, and the
forms on an assignment: forward, note, extension request and decision, done and acceptance;
the leader's delegation page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.models import Role, User
from egov.documents import selectors, selectors_handling, services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import Assignment, AssignmentRole
from egov.documents.permissions import clerk_agencies
from egov.documents.services.delegation import leader_agencies
from egov.documents.stats import agencies_for
from egov.documents.views.forms import (
    DecisionForm,
    DelegationForm,
    DirectForm,
    DoneForm,
    ExtensionForm,
    NoteForm,
)
from egov.documents.views.incoming import action_page, actor, refused, show_error, staff_only
from egov.documents.workflow import Action
from egov.orgs.models import Unit

TABS = [
    (AssignmentRole.LEAD.value, AssignmentRole.LEAD.label),
    (AssignmentRole.CO.value, AssignmentRole.CO.label),
    (AssignmentRole.INFORM.value, AssignmentRole.INFORM.label),
]


# --- the leader ---------------------------------------------------------------------------


def leader_queue(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    page = Paginator(selectors.leader_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "documents/handling/leader_queue.html", {"page": page})


Targets = dict[str, tuple[str, Unit | User]]


def _targets(within: Unit, *, exclude_self: bool) -> Targets:
    """The units and people one may assign to, keyed as in the form (u:12, p:34)."""
    found: Targets = {}
    for unit in selectors_handling.units_for_assignment(within)[:300]:
        if not (exclude_self and unit.pk == within.pk):
            found[f"u:{unit.pk}"] = (unit.name, unit)
    for person in selectors_handling.people_for_assignment(within)[:500]:
        found[f"p:{person.pk}"] = (person.get_full_name(), person)
    return found


def _direction_form(request: HttpRequest, within: Unit, *, exclude_self: bool) -> tuple[DirectForm, Targets]:
    targets = _targets(within, exclude_self=exclude_self)
    choices = [(key, label) for key, (label, _obj) in targets.items()]
    data = request.POST if request.method == "POST" else None
    return DirectForm(data, targets=choices), targets


def _run_direction(
    request: HttpRequest, form: DirectForm, targets: Targets, service: Any, **obj: Any
) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    unknown = [v for v in form.leads() if v not in targets]
    if unknown:
        form.add_error("lead", _("Choose from the list."))
        return False
    try:
        service(
            text=data["text"],
            lead=[targets[v][1] for v in form.leads()],
            co_handlers=[targets[v][1] for v in data["co_handlers"]],
            informed=[targets[v][1] for v in data["informed"]],
            due=form.due(),
            by=actor(request),
            **obj,
        )
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DocumentError as exc:
        show_error(form, exc)
        return False
    return True


def entry_direct(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's direction (bút phê): lead, co-handlers, informed, deadline."""
    staff_only(request)
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    if (response := refused(Action.DIRECT, request, entry, entry)) is not None:
        return response
    form, targets = _direction_form(request, entry.agency, exclude_self=True)
    title, button = _("Direction"), _("Give the direction")
    if request.method != "POST":
        return action_page(request, entry=entry, form=form, title=title, button=button)
    if _run_direction(request, form, targets, services.entry_direct, entry=entry):
        messages.success(request, _("The direction was recorded."))
        return redirect("documents:leader_queue")
    return action_page(request, entry=entry, form=form, title=title, button=button, status=422)


# --- the handler --------------------------------------------------------------------------


def inbox(request: HttpRequest) -> HttpResponse:
    """Assignments as lead, co-handler or for information, with deadline colours; and the
    messages left for the user."""
    from egov.notifications.selectors import staff_messages_for

    staff_only(request)
    tab = request.GET.get("tab", AssignmentRole.LEAD)
    if tab not in dict(TABS):
        tab = AssignmentRole.LEAD
    now, today = timezone.now(), timezone.localdate()
    qs = selectors.handler_assignments(request.user, role=tab)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(a, selectors_handling.deadline_bucket(a.due_at, now=now)) for a in page]
    counts = selectors.inbox_counts(request.user)
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS],
        "page": page,
        "rows": rows,
        "inbox_messages": staff_messages_for(request.user)[:20],
        # The inboxes the user holds for others today.
        "delegations": selectors_handling.delegations_of(request.user).filter(
            delegate_id=request.user.pk, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
        )[:5],
        "is_clerk": clerk_agencies(request.user).exists(),
        "is_leader": bool(leader_agencies(actor(request))),
        # The other lists of the document system, linked only for those they are open to.
        "keeps_registers": bool(agencies_for(request.user, _KEEPERS)),
        "reads_reports": bool(agencies_for(request.user, _REPORT_READERS)),
        "reads_access_log": bool(agencies_for(request.user, _LOG_READERS)),
    }
    return render(request, "documents/handling/inbox.html", context)


_KEEPERS = {str(r) for r in (Role.CLERK, Role.AGENCY_LEADER, Role.UNIT_ADMIN)}
_REPORT_READERS = {str(r) for r in (Role.AGENCY_LEADER, Role.CLERK, Role.UNIT_ADMIN, Role.AUDITOR)}
_LOG_READERS = {str(r) for r in (Role.UNIT_ADMIN, Role.AUDITOR)}


@require_POST
def messages_read(request: HttpRequest) -> HttpResponse:
    from egov.notifications.services import staff_messages_mark_read

    staff_only(request)
    staff_messages_mark_read(recipient=request.user)
    return redirect("documents:inbox")


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    staff_only(request)
    return selectors.assignment_get_for_user(user=request.user, pk=pk)


def assignment_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """A head hands the unit's work to a specialist or a division below."""
    assignment = _assignment(request, pk)
    entry = assignment.entry
    if (response := refused(Action.FORWARD, request, assignment, entry)) is not None:
        return response
    assert assignment.unit is not None
    form, targets = _direction_form(request, assignment.unit, exclude_self=True)
    title, button = _("Forward"), _("Forward")
    extra: dict[str, Any] = {"assignment": assignment}
    if request.method != "POST":
        return action_page(request, entry=entry, form=form, title=title, button=button, **extra)
    if _run_direction(request, form, targets, services.assignment_forward, assignment=assignment):
        messages.success(request, _("The work was forwarded."))
        return redirect(entry)
    return action_page(request, entry=entry, form=form, title=title, button=button, status=422, **extra)


def _simple_action(
    request: HttpRequest, assignment: Assignment, *, action: Action, form_class: Any, title: str, run: Any
) -> HttpResponse:
    """The shape of every form on an assignment: check, show, run the service, or 422 with the input."""
    entry = assignment.entry
    if (response := refused(action, request, assignment, entry)) is not None:
        return response
    extra: dict[str, Any] = {"assignment": assignment}
    if request.method != "POST":
        return action_page(request, entry=entry, form=form_class(), title=title, button=title, **extra)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except DocumentError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(entry)
    return action_page(request, entry=entry, form=form, title=title, button=title, status=422, **extra)


def _files(data: dict[str, Any]) -> list[Any]:
    return [data["file"]] if data.get("file") else []


def assignment_note(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    return _simple_action(
        request,
        a,
        action=Action.NOTE,
        form_class=NoteForm,
        title=_("Record progress or an opinion"),
        run=lambda d: services.assignment_note(
            assignment=a, text=d["text"], kind=d["kind"], files=_files(d), by=actor(request)
        ),
    )


def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    return _simple_action(
        request,
        a,
        action=Action.REQUEST_EXTENSION,
        form_class=ExtensionForm,
        title=_("Ask for an extension"),
        run=lambda d: services.extension_request(
            assignment=a, due=d["due_on"], reason=d["reason"], by=actor(request)
        ),
    )


def assignment_done(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    return _simple_action(
        request,
        a,
        action=Action.REPORT_DONE,
        form_class=DoneForm,
        title=_("Report done"),
        run=lambda d: services.assignment_report_done(
            assignment=a, text=d["text"], files=_files(d), by=actor(request)
        ),
    )


def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    return _simple_action(
        request,
        a,
        action=Action.ACCEPT_DONE,
        form_class=DecisionForm,
        title=_("Accept the completion"),
        run=lambda d: services.assignment_accept_done(
            assignment=a, accept=d["decision"] == "yes", note=d["note"], by=actor(request)
        ),
    )


def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    x = selectors_handling.extension_get_for_user(user=request.user, pk=pk)
    return _simple_action(
        request,
        x.assignment,
        action=Action.DECIDE_EXTENSION,
        form_class=DecisionForm,
        title=_("Grant the extension"),
        run=lambda d: services.extension_decide(
            request=x, grant=d["decision"] == "yes", note=d["note"], by=actor(request)
        ),
    )


# --- delegation ---------------------------------------------------------------------------


def delegations(request: HttpRequest) -> HttpResponse:
    """A leader hands their inbox to a colleague while away, and sees who holds whose."""
    staff_only(request)
    agencies = leader_agencies(actor(request))
    if not agencies:
        raise PermissionDenied
    people: dict[int, str] = {}
    for agency in agencies:
        for person in selectors_handling.people_for_assignment(agency)[:500]:
            if person.pk != request.user.pk:
                people[person.pk] = person.get_full_name()
    form = DelegationForm(
        request.POST if request.method == "POST" else None,
        agencies=[(a.pk, a.name) for a in agencies],
        people=sorted(people.items(), key=lambda x: x[1]),
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegation_create(
                    agency=get_object_or_404(Unit, pk=data["agency"]),
                    delegate=get_object_or_404(User, pk=data["delegate"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    by=actor(request),
                )
            except DocumentError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Your inbox is delegated."))
                return redirect("documents:delegations")
        status = 422
    context = {"form": form, "delegations": selectors_handling.delegations_of(request.user)}
    return render(request, "documents/handling/delegations.html", context, status=status)


@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    delegation = get_object_or_404(selectors_handling.delegations_of(request.user), pk=pk)
    try:
        services.delegation_revoke(delegation=delegation, by=actor(request))
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The delegation has ended."))
    return redirect("documents:delegations")


urlpatterns: list[URLPattern] = [
    path("direct/", leader_queue, name="leader_queue"),
    path("entries/<int:pk>/direct/", entry_direct, name="entry_direct"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/read/", messages_read, name="messages_read"),
    path("assignments/<int:pk>/forward/", assignment_forward, name="assignment_forward"),
    path("assignments/<int:pk>/note/", assignment_note, name="assignment_note"),
    path("assignments/<int:pk>/extension/", extension_request, name="extension_request"),
    path("assignments/<int:pk>/done/", assignment_done, name="assignment_done"),
    path("assignments/<int:pk>/accept/", assignment_accept, name="assignment_accept"),
    path("extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
    path("delegations/", delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", delegation_revoke, name="delegation_revoke"),
]
