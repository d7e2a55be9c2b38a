"""Pages: work files (hồ sơ công việc) — the unit's yearly file plan, the list of files, the
file page with its index of documents and actions, the Annex VI export, and "add to a work
file" for the document page. Thin: parse, fetch with an access helper, one service, render.
Buttons come from ``workflow.available_actions``."""

from __future__ import annotations

import io
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.accounts.types import Visitor
from egov.core.uploads import attachment_response
from egov.documents import selectors, services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import FilePlanEntry, WorkFile
from egov.documents.services.workfile_export import index_rows
from egov.documents.views.workfiles_forms import (
    ChooseFileForm,
    CloseForm,
    DocumentPickForm,
    OpenFileForm,
    PlanLineForm,
    ReasonForm,
    RemoveForm,
)
from egov.documents.workflow import Action, available_actions
from egov.orgs.models import Unit


def _staff(request: HttpRequest) -> User:
    """The signed-in civil servant; 404 for anyone else, as for a file one may not see."""
    user = request.user
    if not is_staff_user(user) or not isinstance(user, User):
        raise Http404
    return user


def _refused(form: dj_forms.Form, exc: DocumentError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _year(request: HttpRequest) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("year", today))
    except ValueError:
        return today
    return year if today - 10 <= year <= today + 1 else today


def _may(user: Visitor, action: Action, obj: Any) -> bool:
    return action in available_actions(user, obj)


# ---------------------------------------------------------------- lists and the file plan


@require_GET
def workfile_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    view = request.GET.get("view", "open")
    view = view if view in selectors.WORK_FILE_VIEWS else "open"
    files = selectors.work_files_list_for_user(user, view=view, today=timezone.localdate())
    page = Paginator(files, 50).get_page(request.GET.get("page"))
    units = selectors.work_file_units(user)
    context = {
        "page": page,
        "view": view,
        "views": [
            ("open", _("Open")),
            ("closed", _("Closed")),
            ("due", _("Due for transfer")),
            ("held", _("Legal hold")),
            ("all", _("All")),
        ],
        "can_open": any(_may(user, Action.FILE_OPEN, u) for u in units),
        "has_units": bool(units),
        "today": timezone.localdate(),
    }
    return render(request, "documents/workfiles/list.html", context)


@require_http_methods(["GET", "POST"])
def workfile_plan(request: HttpRequest) -> HttpResponse:
    """The unit's file plan for a year; its keepers add lines here."""
    user = _staff(request)
    units = selectors.work_file_units(user)
    if "unit" in request.GET:
        try:
            unit = selectors.work_file_unit_get_for_user(user=user, pk=int(request.GET["unit"]))
        except ValueError:
            raise Http404 from None
    elif units:
        unit = units[0]
    else:
        raise Http404
    year = _year(request)
    can_edit = _may(user, Action.PLAN_EDIT, unit)
    form = PlanLineForm(request.POST or None, people=selectors.unit_staff(unit))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                line = services.file_plan_entry_save(
                    unit=unit, year=year, by=user, **_line_values(form.cleaned_data)
                )
            except ActionForbidden as exc:
                raise PermissionDenied from exc
            except DocumentError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Line %(code)s added to the plan.") % {"code": line.code})
                return redirect(f"{reverse('documents:workfile_plan')}?unit={unit.pk}&year={year}")
    context = {
        "unit": unit,
        "units": units,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1),
        "lines": selectors.file_plan(unit, year),
        "form": form if can_edit else None,
        "can_open": _may(user, Action.FILE_OPEN, unit),
    }
    return render(request, "documents/workfiles/plan.html", context, status=422 if form.errors else 200)


def _line_values(data: dict[str, Any]) -> dict[str, Any]:
    owner = User.objects.filter(pk=data["owner"]).first() if data.get("owner") else None
    return {"code": data["code"], "title": data["title"], "retention": data["retention"], "owner": owner}


@require_http_methods(["GET", "POST"])
def workfile_plan_line(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    line = selectors.file_plan_entry_get_for_user(user=user, pk=pk)
    if not _may(user, Action.PLAN_EDIT, line.unit):
        raise PermissionDenied
    initial = {"code": line.code, "title": line.title, "retention": line.retention, "owner": line.owner_id}
    form = PlanLineForm(request.POST or None, initial=initial, people=selectors.unit_staff(line.unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.file_plan_entry_save(
                unit=line.unit, year=line.year, entry=line, by=user, **_line_values(form.cleaned_data)
            )
        except DocumentError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The plan line is saved."))
            return redirect(f"{reverse('documents:workfile_plan')}?unit={line.unit_id}&year={line.year}")
    status = 422 if form.errors else 200
    return render(request, "documents/workfiles/plan_line.html", {"line": line, "form": form}, status=status)


# ---------------------------------------------------------------- opening a file


def _open_choices(user: Visitor) -> tuple[list[Unit], list[FilePlanEntry]]:
    units = [u for u in selectors.work_file_units(user) if _may(user, Action.FILE_OPEN, u)]
    year = timezone.localdate().year
    lines = list(
        FilePlanEntry.objects.filter(unit__in=units, year__in=[year - 1, year], files__isnull=True)
        .select_related("unit")
        .order_by("-year", "unit__path", "code")[:300]
    )
    return units, lines


@require_http_methods(["GET", "POST"])
def workfile_open(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    units, lines = _open_choices(user)
    if not units:
        raise PermissionDenied
    form = OpenFileForm(
        request.POST or None,
        initial={"plan_entry": request.GET.get("plan_entry")},
        units=[(u.pk, u.name) for u in units],
        lines=[(x.pk, f"{x.year} · {x.code} · {x.title[:80]} ({x.unit.name})") for x in lines],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        line = next((x for x in lines if x.pk == data["plan_entry"]), None)
        unit = line.unit if line else next(u for u in units if u.pk == data["unit"])
        try:
            work_file = services.work_file_open(
                unit=unit,
                plan_entry=line,
                notation=data["code"],
                title=data["title"],
                retention=data["retention"],
                description=data["description"],
                by=user,
            )
        except ActionForbidden as exc:
            raise PermissionDenied from exc
        except DocumentError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Work file %(code)s opened.") % {"code": work_file.code})
            return redirect("documents:workfile", pk=work_file.pk)
    status = 422 if form.errors else 200
    return render(request, "documents/workfiles/open.html", {"form": form}, status=status)


# ---------------------------------------------------------------- the file page and its actions

ACTIONS: dict[str, tuple[Action, type[dj_forms.Form]]] = {
    "add": (Action.FILE_ADD, DocumentPickForm),
    "remove": (Action.FILE_REMOVE, RemoveForm),
    "close": (Action.FILE_CLOSE, CloseForm),
    "hold": (Action.FILE_HOLD, ReasonForm),
    "release": (Action.FILE_RELEASE, ReasonForm),
}


@require_GET
def workfile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(
    request: HttpRequest, pk: int, bound: dict[str, dj_forms.Form] | None = None
) -> HttpResponse:
    user = _staff(request)
    work_file = selectors.work_file_get_for_user(user=user, pk=pk)
    bound = bound or {}
    allowed = available_actions(user, work_file)
    action_forms = {
        name: bound.get(name) or form_class(prefix=name)
        for name, (action, form_class) in ACTIONS.items()
        if action in allowed and name in ("close", "hold", "release")
    }
    q = request.GET.get("q", "").strip()[:200]
    can_add = Action.FILE_ADD in allowed
    found = list(selectors.documents_to_file(user, q=q, exclude=work_file)[:20]) if can_add and q else []
    failed = next(iter(bound.items()), None)
    context = {
        "f": work_file,
        "rows": index_rows(work_file, user),
        "totals": selectors.work_file_totals(work_file),
        "forms": action_forms,
        "can_add": can_add,
        "can_remove": Action.FILE_REMOVE in allowed,
        "can_export": Action.FILE_EXPORT in allowed,
        "q": q,
        "found": found,
        "failed_action": failed[0] if failed else "",
        "failed_form": failed[1] if failed else None,
    }
    return render(request, "documents/workfiles/detail.html", context, status=422 if bound else 200)


@require_POST
def workfile_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every button of the file page posts here; the form is checked, then one service runs."""
    if action not in ACTIONS:
        raise Http404
    user = _staff(request)
    work_file = selectors.work_file_get_for_user(user=user, pk=pk)
    form = ACTIONS[action][1](request.POST, prefix=action)
    if form.is_valid():
        try:
            message = _run(request, work_file, action, form.cleaned_data)
        except ActionForbidden as exc:
            raise PermissionDenied from exc
        except services.DocumentNotFound as exc:
            raise Http404 from exc
        except DocumentError as exc:
            _refused(form, exc)
        else:
            messages.success(request, message)
            return redirect("documents:workfile", pk=work_file.pk)
    return _detail_page(request, pk, bound={action: form})


def _document(user: Visitor, pk: int) -> Any:
    return selectors.document_get_for_user(user=user, pk=pk)


def _run(request: HttpRequest, work_file: WorkFile, action: str, data: dict[str, Any]) -> str:
    user = _staff(request)
    if action == "add":
        item = services.work_file_add_document(
            work_file=work_file, document=_document(user, data["document"]), by=user
        )
        return _("Document added as number %(n)s of the file.") % {
            "n": work_file.items.filter(order__lte=item.order).count()
        }
    if action == "remove":
        services.work_file_remove_document(
            work_file=work_file, document=_document(user, data["document"]), reason=data["reason"], by=user
        )
        return _("Document taken out of the file.")
    if action == "close":
        closed = services.work_file_close(work_file=work_file, closed_on=data["closed_on"], by=user)
        return _("The file is closed; transfer it to the archive by %(due)s.") % {
            "due": closed.transfer_due_on.strftime("%d/%m/%Y") if closed.transfer_due_on else ""
        }
    if action == "hold":
        services.work_file_hold(work_file=work_file, reason=data["reason"], by=user)
        return _("The file and its documents are under legal hold.")
    services.work_file_release(work_file=work_file, reason=data["reason"], by=user)
    return _("The legal hold is lifted.")


@require_GET
def workfile_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The ZIP of a closed file: the PDF (cover and index), the XML, optionally the files."""
    user = _staff(request)
    work_file = selectors.work_file_get_for_user(user=user, pk=pk)
    try:
        export = services.work_file_export(
            work_file=work_file, by=user, include_files=request.GET.get("files") == "1"
        )
    except ActionForbidden as exc:
        raise PermissionDenied from exc
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect("documents:workfile", pk=work_file.pk)
    return attachment_response(io.BytesIO(export.content), content_type=export.content_type, name=export.name)


# ---------------------------------------------------------------- from the document page


@require_http_methods(["GET", "POST"])
def workfile_add_document(request: HttpRequest, pk: int) -> HttpResponse:
    """File the document ``pk`` into one of the open files the person may file into."""
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=pk)
    addable = selectors.work_files_addable_by(user).exclude(items__document=document)
    choices = [(f.pk, f"{f.code} · {f.title[:80]}") for f in addable[:300]]
    form = ChooseFileForm(request.POST or None, files=choices)
    if request.method == "POST" and form.is_valid():
        work_file = selectors.work_file_get_for_user(user=user, pk=form.cleaned_data["work_file"])
        try:
            services.work_file_add_document(work_file=work_file, document=document, by=user)
        except ActionForbidden as exc:
            raise PermissionDenied from exc
        except DocumentError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Document filed in %(code)s.") % {"code": work_file.code})
            return redirect("documents:workfile", pk=work_file.pk)
    context = {
        "document": document,
        "form": form,
        "has_files": bool(choices),
        "in_files": selectors.work_files_with_document(user, document),
    }
    return render(
        request, "documents/workfiles/add_document.html", context, status=422 if form.errors else 200
    )


urlpatterns = [
    path("work-files/", workfile_list, name="workfile_list"),
    path("work-files/plan/", workfile_plan, name="workfile_plan"),
    path("work-files/plan/<int:pk>/", workfile_plan_line, name="workfile_plan_line"),
    path("work-files/open/", workfile_open, name="workfile_open"),
    path("work-files/<int:pk>/", workfile_detail, name="workfile"),
    path("work-files/<int:pk>/export.zip", workfile_export, name="workfile_export"),
    path("work-files/<int:pk>/<slug:action>/", workfile_action, name="workfile_action"),
    path("<int:pk>/work-file/", workfile_add_document, name="workfile_add_document"),
]
