"""Pages: search of documents (filters, results newest first, saved searches, export)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from egov.accounts.models import User
from egov.accounts.permissions import is_staff_user
from egov.documents import services
from egov.documents.errors import DocumentError
from egov.documents.search import search_documents
from egov.documents.search.export import search_export_xlsx
from egov.documents.search.forms import SaveSearchForm, SearchForm
from egov.documents.search.query import COUNT_CAP
from egov.documents.search.saved import (
    PARAMS,
    params_of,
    query_string,
    saved_search_get_for_user,
    saved_searches_of,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not is_staff_user(user) or not isinstance(user, User):
        raise Http404
    return user


def _link(pk: int) -> str:
    # The document page belongs to the drafting area; until it exists, results are not links.
    try:
        return reverse("documents:document", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def _form(request: HttpRequest) -> SearchForm:
    data = {k: v for k, v in request.GET.items() if k in PARAMS}
    return SearchForm(data, user=request.user)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = _form(request)
    context: dict[str, object] = {
        "form": form,
        "saved": saved_searches_of(request.user),
        # "Hơn 1.000 kết quả": grouped as the language writes numbers.
        "count_cap": number_format(COUNT_CAP, force_grouping=True),
    }
    if not form.is_valid():
        return render(request, "documents/search/page.html", context, status=422)
    cursor = request.GET.get("after", "")[:40]
    page = search_documents(user=request.user, query=form.query(), cursor=cursor)
    current = query_string(form.cleaned_data)
    context |= {
        "page": page,
        "results": [(d, _link(d.pk)) for d in page.documents],
        "current": current,
        "save_form": SaveSearchForm(initial={"query": current}),
        "next_url": f"?{current}&after={page.next_cursor}" if page.next_cursor else "",
    }
    return render(request, "documents/search/page.html", context)


@require_GET
def search_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = _form(request)
    if not form.is_valid():
        return render(
            request,
            "documents/search/page.html",
            {"form": form, "saved": saved_searches_of(request.user)},
            status=422,
        )
    content, _rows = search_export_xlsx(user=request.user, query=form.query())
    response = HttpResponse(content, content_type=XLSX)
    name = f"tim-kiem-van-ban-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = SaveSearchForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            services.saved_search_create(name=form.cleaned_data["name"], query=query, by=user)
        except DocumentError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, pgettext("document search", "Search saved."))
            return redirect(f"{reverse('documents:search')}?{query}")
    search = SearchForm({}, user=request.user)
    search.is_valid()
    context = {"form": search, "save_form": form, "saved": saved_searches_of(request.user), "current": query}
    return render(request, "documents/search/page.html", context, status=422)


@require_GET
def saved_search_run(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_search_get_for_user(user=request.user, pk=pk)
    return redirect(f"{reverse('documents:search')}?{query_string(dict(params_of(saved)))}")


@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    saved = saved_search_get_for_user(user=user, pk=pk)
    services.saved_search_delete(saved=saved, by=user)
    messages.success(request, _("Saved search deleted."))
    return redirect("documents:search")


urlpatterns: list[URLPattern] = [
    path("search/", search_page, name="search"),
    path("search/export.xlsx", search_export, name="search_export"),
    path("search/saved/", saved_search_create, name="search_save"),
    path("search/saved/<int:pk>/", saved_search_run, name="search_saved"),
    path("search/saved/<int:pk>/delete/", saved_search_delete, name="search_saved_delete"),
]
