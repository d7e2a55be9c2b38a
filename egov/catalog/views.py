"""Public catalogue pages (no login) and the catalogue officers' editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from egov.accounts.types import AuthedRequest
from egov.catalog import selectors, services
from egov.catalog.data import ProcedureData, budget_hours, legal_limit_hours, validate
from egov.catalog.exchange import catalog_export_bytes, catalog_import_bytes
from egov.catalog.forms import (
    CatalogueImportForm,
    ChannelFormSet,
    PaperFormSet,
    ProcedureForm,
    PublishForm,
    StepFormSet,
    WithdrawForm,
    data_from_forms,
    initial_from_data,
)
from egov.catalog.models import HandlingLevel, OnlineLevel, Procedure, VersionStatus
from egov.catalog.permissions import can_edit_catalogue
from egov.catalog.spreadsheet import SpreadsheetRejected
from egov.catalog.text import fold

# ------------------------------------------------------------------ public


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    filters = {
        "field": request.GET.get("field", "")[:20],
        "level": request.GET.get("level", "") if request.GET.get("level") in HandlingLevel.values else "",
        "online_level": request.GET.get("online", "")
        if request.GET.get("online") in OnlineLevel.values
        else "",
    }
    results = selectors.procedure_search(q=q, **filters)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "filters": filters,
        "fields": selectors.fields_in_use(),
        "levels": HandlingLevel.choices,
        "online_levels": OnlineLevel.choices,
        "querystring": request.GET.copy(),
    }
    return render(request, "catalog/public_list.html", context)


@login_not_required
@require_GET
def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    number = request.GET.get("version")
    version = selectors.procedure_public_get(
        code=code, number=int(number) if number and number.isdigit() else None
    )
    return render(request, "catalog/public_detail.html", {"v": version})


# ------------------------------------------------------------------ officers


def _require_officer(request: HttpRequest) -> None:
    if not can_edit_catalogue(request.user):
        raise PermissionDenied


def manage_list(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    procedures = Procedure.objects.prefetch_related("versions").order_by("code")
    q = request.GET.get("q", "").strip()
    if q:
        procedures = procedures.filter(versions__search_text__contains=fold(q)).distinct()
    page = Paginator(procedures, 50).get_page(request.GET.get("page"))
    return render(request, "catalog/manage_list.html", {"page": page, "q": q})


def _budget_summary(data: ProcedureData) -> list[dict[str, Any]]:
    limit = legal_limit_hours(data)
    summary = []
    for level in data.levels:
        total = sum(budget_hours(s.budget_amount, s.budget_unit) for s in data.process if s.level == level)
        summary.append(
            {
                "level": HandlingLevel(level).label if level in HandlingLevel.values else level,
                "total": total,
                "limit": limit,
                "ok": limit is None or total <= limit,
            }
        )
    return summary


def _attach_problems(problems: list[Any], form: Any, formsets: dict[str, Any]) -> None:
    for problem in problems:
        where: str = problem.where
        if "[" in where:
            group, index = where[:-1].split("[")
            formset = formsets[group]
            live = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            target = live[int(index) - 1]
            target.add_error(problem.column if problem.column in target.fields else None, problem.message)
        elif where == "process":
            formsets["process"]._non_form_errors.append(problem.message)
        else:
            form.add_error(problem.column if problem.column in form.fields else None, problem.message)


SECTIONS = {
    "channels": gettext_lazy("Channels, time limits and fees"),
    "papers": gettext_lazy("Required papers"),
    "process": gettext_lazy("Internal process"),
}


def _error_summary(form: Any, formsets: dict[str, Any]) -> list[str]:
    """One line per problem, shown next to the save button, where the officer looks after saving."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else _("Procedure")
        lines += [f"{label}: {e}" for e in errors]
    for group, formset in formsets.items():
        section = SECTIONS[group]
        lines += [f"{section}: {e}" for e in formset.non_form_errors()]
        for row, errors in enumerate(formset.errors, start=1):
            for name, messages_ in errors.items():
                field = formset.forms[row - 1].fields.get(name)
                label = field.label if field is not None else ""
                where = _("%(section)s, row %(row)s") % {"section": section, "row": row}
                lines += [f"{where} — {label}: {e}" if label else f"{where}: {e}" for e in messages_]
    return lines


def procedure_edit(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    _require_officer(request)
    procedure = selectors.procedure_get_for_officer(user=request.user, code=code) if code else None
    latest = (
        procedure.versions.exclude(status=VersionStatus.SUPERSEDED).order_by("-number").first()
        if procedure
        else None
    )
    data = selectors.version_to_data(latest) if latest else None
    if request.method == "POST":
        form = ProcedureForm(request.POST)
        formsets: dict[str, BaseFormSet[Any]] = {
            "channels": ChannelFormSet(request.POST, prefix="ch"),
            "papers": PaperFormSet(request.POST, prefix="pa"),
            "process": StepFormSet(request.POST, prefix="st"),
        }
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            data = data_from_forms(form, formsets["channels"], formsets["papers"], formsets["process"])
            if procedure is not None and data.code != procedure.code:
                form.add_error("code", _("The national code of an existing procedure cannot change."))
            elif procedure is None and Procedure.objects.filter(code=data.code).exists():
                form.add_error("code", _("A procedure with this code already exists."))
            else:
                problems = validate(data)
                if not problems:
                    services.procedure_save_draft(data=data, by=request.user)
                    messages.success(request, _("Draft saved."))
                    return redirect("catalog:manage_detail", code=data.code)
                _attach_problems(problems, form, formsets)
    else:
        head, channels, papers, steps = initial_from_data(data) if data else ({}, [], [], [])
        form = ProcedureForm(initial=head)
        formsets = {
            "channels": ChannelFormSet(initial=channels, prefix="ch"),
            "papers": PaperFormSet(initial=papers, prefix="pa"),
            "process": StepFormSet(initial=steps, prefix="st"),
        }
    has_errors = (
        bool(form.errors) or any(fs.total_error_count() for fs in formsets.values())
        if request.method == "POST"
        else False
    )
    context = {
        "form": form,
        "formsets": formsets,
        "error_summary": _error_summary(form, formsets) if has_errors else [],
        "procedure": procedure,
        "budget": _budget_summary(data) if data else [],
    }
    return render(request, "catalog/edit.html", context, status=422 if has_errors else 200)


def manage_detail(request: AuthedRequest, code: str) -> HttpResponse:
    _require_officer(request)
    procedure = selectors.procedure_get_for_officer(user=request.user, code=code)
    versions = list(selectors.procedure_versions(procedure).select_related("field"))
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    shown = draft or published or (versions[0] if versions else None)
    data = selectors.version_to_data(shown) if shown else None
    publish_form = PublishForm(request.POST if request.POST.get("action") == "publish" else None)
    withdraw_form = WithdrawForm(request.POST if request.POST.get("action") == "withdraw" else None)
    problems = validate(data, for_publishing=True) if draft and data else []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish" and draft and publish_form.is_valid():
                services.procedure_publish(version=draft, by=request.user, **publish_form.cleaned_data)
                messages.success(request, _("Version %(n)s published.") % {"n": draft.number})
                return redirect("catalog:manage_detail", code=code)
            if request.POST.get("action") == "withdraw" and published and withdraw_form.is_valid():
                services.procedure_withdraw(
                    procedure=procedure, by=request.user, **withdraw_form.cleaned_data
                )
                messages.success(request, _("The procedure is withdrawn."))
                return redirect("catalog:manage_detail", code=code)
        except services.CatalogError as exc:
            problems = exc.problems
    context = {
        "procedure": procedure,
        "versions": versions,
        "draft": draft,
        "published": published,
        "shown": shown,
        "budget": _budget_summary(data) if data else [],
        "problems": problems,
        "publish_form": publish_form,
        "withdraw_form": withdraw_form,
    }
    failed = request.method == "POST"
    return render(request, "catalog/manage_detail.html", context, status=422 if failed else 200)


def catalogue_import(request: AuthedRequest) -> HttpResponse:
    _require_officer(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = catalog_import_bytes(
                content=upload.read(),
                filename=upload.name,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except SpreadsheetRejected as exc:
            errors = exc.errors
    status = 422 if (form.errors or errors) else 200
    return render(
        request, "catalog/import.html", {"form": form, "errors": errors, "report": report}, status=status
    )


@require_GET
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_officer(request)
    if fmt not in {"xlsx", "zip"}:
        raise Http404
    content = catalog_export_bytes(fmt=fmt)
    mime = (
        "application/zip"
        if fmt == "zip"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc.{fmt}"'
    return response
