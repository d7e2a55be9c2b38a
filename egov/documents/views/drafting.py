"""Pages: drafting, review and issue of outgoing documents, and the document page for any
document the user may see. Thin: parse, fetch through the access helper, one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.models import Role, User
from egov.accounts.permissions import is_staff_user
from egov.documents import selectors, services
from egov.documents.errors import ActionForbidden, DocumentError, WrongState
from egov.documents.models import (
    AccessKind,
    Document,
    DocumentLink,
    FileRole,
    LinkKind,
    Register,
    ReviewState,
)
from egov.documents.permissions import documents_visible_to
from egov.documents.views.drafting_forms import (
    CommentForm,
    DraftForm,
    EmptyForm,
    IssueForm,
    ReasonForm,
    ReplaceForm,
    VersionForm,
    draft_form_initial,
    draft_form_values,
    drafting_units,
)
from egov.documents.views.signing import CopyFormForm, sign_device, sign_panel
from egov.documents.workflow import Action, available_actions, require
from egov.orgs.models import Unit


def _staff(request: HttpRequest) -> User:
    """The signed-in civil servant; the document pages do not exist for anyone else."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise Http404
    return user


# ---------------------------------------------------------------- lists


def _tabs(request: HttpRequest) -> list[tuple[str, str, int]]:
    user = request.user
    return [
        ("documents:drafts", _("My drafts"), selectors.drafts_of(user).count()),
        ("documents:reviews", _("Waiting for my review"), selectors.reviews_waiting_for(user).count()),
        ("documents:to_issue", _("To issue"), selectors.to_issue(user).count()),
    ]


def _list(request: HttpRequest, qs: QuerySet[Document], title: str, current: str) -> HttpResponse:
    user = _staff(request)
    page = Paginator(qs.select_related("drafting_unit", "drafted_by"), 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page": page, "title": title, "tabs": _tabs(request), "current": current}
    context["can_draft"] = bool(drafting_units(user))
    return render(request, "documents/drafting/list.html", context)


def draft_list(request: HttpRequest) -> HttpResponse:
    return _list(request, selectors.drafts_of(request.user), _("My drafts"), "documents:drafts")


def review_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.reviews_waiting_for(request.user)
    return _list(request, qs, _("Drafts waiting for my review"), "documents:reviews")


def issue_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request, selectors.to_issue(request.user), _("Approved drafts to issue"), "documents:to_issue"
    )


# ---------------------------------------------------------------- the draft form


def _refuse(form: Any, exc: DocumentError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def draft_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not drafting_units(user):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"answers": request.GET.getlist("answers")}
        form = DraftForm(user=request.user, initial=initial)
        return render(request, "documents/drafting/draft_form.html", {"form": form, "document": None})
    form = DraftForm(request.POST, user=request.user)
    if form.is_valid():
        unit = get_object_or_404(Unit, pk=form.cleaned_data["drafting_unit"])
        try:
            document = services.draft_create(drafting_unit=unit, by=user, **draft_form_values(form))
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except DocumentError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Draft saved. Upload its text, then submit it for review."))
            return redirect(document)
    return render(request, "documents/drafting/draft_form.html", {"form": form, "document": None}, status=422)


def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=pk)
    try:
        require(Action.EDIT_DRAFT, request.user, document)
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except WrongState as exc:
        messages.error(request, str(exc))
        return redirect(document)
    if request.method != "POST":
        form = DraftForm(user=request.user, document=document, initial=draft_form_initial(document))
        return render(request, "documents/drafting/draft_form.html", {"form": form, "document": document})
    form = DraftForm(request.POST, user=request.user, document=document)
    if form.is_valid():
        try:
            services.draft_update(document=document, by=user, **draft_form_values(form))
        except DocumentError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(document)
    context = {"form": form, "document": document}
    return render(request, "documents/drafting/draft_form.html", context, status=422)


# ---------------------------------------------------------------- the document page

# Each action of the page: its form and what runs when the form is valid (a message back).
Handler = Callable[[User, Document, dict[str, Any]], str]
ACTIONS: dict[str, tuple[Callable[..., Any], Handler]] = {}


def _action(name: str, form_class: Callable[..., Any]) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        ACTIONS[name] = (form_class, fn)
        return fn

    return register


def _form(document: Document, name: str, data: Any = None, files: Any = None) -> Any:
    form_class = ACTIONS[name][0]
    if form_class is ReplaceForm:
        return ReplaceForm(data, files, prefix=name, document=document)
    return form_class(data, files, prefix=name)


def _page_actions(user: Any, document: Document) -> list[str]:
    """The page's buttons, from the workflow table only ("add a version" is editing the draft)."""
    names = []
    for action in available_actions(user, document):
        if action == Action.EDIT_DRAFT:
            names.append("add_version")
        elif action in ACTIONS:
            names.append(str(action))
    return names


def _links(user: Any, document: Document) -> dict[str, list[Document]]:
    visible = documents_visible_to(user)
    out = DocumentLink.objects.filter(source=document).values_list("kind", "target_id")
    into = DocumentLink.objects.filter(target=document).values_list("kind", "source_id")
    ids = {pk for _k, pk in [*out, *into]}
    docs = {d.pk: d for d in visible.filter(pk__in=ids)}
    return {
        "answers": [docs[pk] for k, pk in out if k == LinkKind.ANSWERS and pk in docs],
        "answered_by": [docs[pk] for k, pk in into if k == LinkKind.ANSWERS and pk in docs],
        "replaces": [docs[pk] for k, pk in out if k == LinkKind.REPLACES and pk in docs],
        "replaced_by": [docs[pk] for k, pk in into if k == LinkKind.REPLACES and pk in docs],
    }


# A review step's state in the words of a review ("Approved" alone reads as a dossier's outcome).
STEP_LABELS = {
    ReviewState.PENDING: pgettext_lazy("review step", "Waiting"),
    ReviewState.APPROVED: pgettext_lazy("review step", "Approved"),
    ReviewState.SENT_BACK: pgettext_lazy("review step", "Sent back"),
    ReviewState.CANCELLED: pgettext_lazy("review step", "Not needed"),
}


def _rounds(document: Document) -> list[tuple[int, list[Any]]]:
    """The review trail, round by round, each step with its role and state in words."""
    rounds: dict[int, list[Any]] = {}
    roles = dict(Role.choices)
    for review in document.reviews.select_related("unit", "reviewer"):
        review.role_label = roles.get(review.role, review.role)  # type: ignore[attr-defined]
        review.state_label = STEP_LABELS.get(ReviewState(review.state), review.state)  # type: ignore[attr-defined]
        rounds.setdefault(review.round, []).append(review)
    return sorted(rounds.items())


def document_detail(
    request: HttpRequest, pk: int, bound: dict[str, Any] | None = None, error: str = ""
) -> HttpResponse:
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=pk)
    bound = bound or {}
    names = _page_actions(user, document)
    failed = next(iter(bound.items()), None)
    files = list(document.files.select_related("uploaded_by").order_by("role", "-version", "-pk"))
    context = {
        "d": document,
        "drafts": [f for f in files if f.role == FileRole.DRAFT],
        "files": [f for f in files if f.role != FileRole.DRAFT],
        "rounds": _rounds(document),
        "recipients": document.recipients.select_related("entry").order_by("pk"),
        "links": _links(user, document),
        "forms": {name: bound.get(name) or _form(document, name) for name in names},
        "can_edit": "add_version" in names,
        "can_issue": Action.ISSUE in available_actions(user, document),
        "signing": sign_panel(user, document),
        "error": error,
        "failed_action": failed[0] if failed else "",
        "failed_form": failed[1] if failed else None,
    }
    status = 422 if (bound or error) else 200
    if status == 200:
        services.access_record(document=document, user=user, kind=AccessKind.VIEW)
    return render(request, "documents/drafting/document.html", context, status=status)


@require_POST
def document_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every button of the document page posts here: the form, then one service."""
    user = _staff(request)
    if action not in ACTIONS:
        raise Http404
    document = selectors.document_get_for_user(user=user, pk=pk)
    if action == Action.SIGN and services.document_signed_by(document, user):
        messages.info(request, _("You have already signed this document."))  # a second click
        return redirect(document)
    try:
        require(Action.EDIT_DRAFT if action == "add_version" else action, user, document)
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except WrongState as exc:
        return document_detail(request, pk, error=str(exc))
    form = _form(document, action, request.POST, request.FILES)
    if form.is_valid():
        try:
            done = ACTIONS[action][1](user, document, form.cleaned_data)
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.SignOnDevice:
            # The key is on the signer's own device: prepare the digest and send them there.
            try:
                prepared = services.document_sign_device_prepare(document=document, by=user)
            except DocumentError as exc:
                _refuse(form, exc)
            else:
                return redirect("documents:sign_device", pk=document.pk, request_id=prepared.id)
        except DocumentError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, done)
            return redirect(document)
    return document_detail(request, pk, bound={action: form})


@_action("add_version", VersionForm)
def _add_version(user: User, document: Document, data: dict[str, Any]) -> str:
    record = services.draft_version_add(
        document=document, upload=data["file"], comment=data["comment"], by=user
    )
    return _("Version %(n)s saved.") % {"n": record.version}


@_action(Action.SUBMIT_REVIEW, EmptyForm)
def _submit(user: User, document: Document, data: dict[str, Any]) -> str:
    services.draft_submit_review(document=document, by=user)
    return _("The draft was submitted for review.")


@_action(Action.APPROVE, CommentForm)
def _approve(user: User, document: Document, data: dict[str, Any]) -> str:
    services.review_approve(document=document, comment=data["comment"], by=user)
    return _("Approved.")


@_action(Action.SEND_BACK, CommentForm)
def _send_back(user: User, document: Document, data: dict[str, Any]) -> str:
    services.review_send_back(document=document, comment=data["comment"], by=user)
    return _("The draft was sent back to its drafter.")


@_action(Action.ABANDON, ReasonForm)
def _abandon(user: User, document: Document, data: dict[str, Any]) -> str:
    services.draft_abandon(document=document, reason=data["reason"], by=user)
    return _("The draft was abandoned.")


@_action(Action.SIGN, EmptyForm)
def _sign(user: User, document: Document, data: dict[str, Any]) -> str:
    services.document_sign(document=document, by=user)
    return _("Signed. The signed version is kept beside the unsigned one.")


@_action(Action.COPY, CopyFormForm)
def _copy(user: User, document: Document, data: dict[str, Any]) -> str:
    copy = services.document_copy(document=document, form=data["form"], by=user)
    return _("Electronic copy %(n)s made.") % {"n": copy.number_notation}


@_action(Action.RECALL, ReasonForm)
def _recall(user: User, document: Document, data: dict[str, Any]) -> str:
    services.document_recall(document=document, reason=data["reason"], by=user)
    return _("The document was recalled; the recipients' copies are frozen.")


@_action(Action.REPLACE, ReplaceForm)
def _replace(user: User, document: Document, data: dict[str, Any]) -> str:
    replacement = get_object_or_404(Document, pk=data["replacement"])
    services.document_replace(document=document, replacement=replacement, reason=data["reason"], by=user)
    return _("The document was replaced; the recipients' copies are frozen.")


def document_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A stored file of the document, always as a download."""
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=pk)
    record = get_object_or_404(document.files, pk=file_pk)
    # Written to the access log (Annex VI), always as a download.
    return services.file_download_response(file=record, user=user)


# ---------------------------------------------------------------- issue


def _previews(document: Document, form: IssueForm) -> list[tuple[Register, services.IssuePreview | str]]:
    registers = Register.objects.filter(pk__in=[pk for pk, _label in form.fields["register"].choices])  # type: ignore[attr-defined]
    day = form.cleaned_data.get("issued_on") if form.is_bound and hasattr(form, "cleaned_data") else None
    rows: list[tuple[Register, services.IssuePreview | str]] = []
    for register in registers:
        try:
            rows.append((register, services.issue_preview(document=document, register=register, on=day)))
        except DocumentError as exc:
            rows.append((register, str(exc)))
    return rows


def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk's issue form: the number and notation the document will get, then issue."""
    user = _staff(request)
    document = selectors.document_get_for_user(user=user, pk=pk)
    try:
        require(Action.ISSUE, user, document)
    except ActionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except WrongState as exc:
        messages.error(request, str(exc))
        return redirect(document)
    if request.method != "POST":
        form = IssueForm(document=document)
        context = {
            "d": document,
            "form": form,
            "previews": _previews(document, form),
            "signing": sign_panel(user, document),
        }
        return render(request, "documents/drafting/issue.html", context)
    form = IssueForm(request.POST, request.FILES, document=document)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_issue(
                document=document,
                register=get_object_or_404(Register, pk=data["register"]),
                issued_on=data["issued_on"],
                main_file=data.get("main_file"),
                signer_position=data["signer_position"],
                signer_name=data["signer_name"],
                copies=data["copies"],
                by=user,
            )
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except DocumentError as exc:
            _refuse(form, exc)
        else:
            document.refresh_from_db()
            messages.success(request, _("Issued as %(n)s.") % {"n": document.number_notation})
            return redirect(document)
    context = {
        "d": document,
        "form": form,
        "previews": _previews(document, form),
        "signing": sign_panel(user, document),
    }
    return render(request, "documents/drafting/issue.html", context, status=422)


urlpatterns: list[URLPattern] = [
    path("drafts/", draft_list, name="drafts"),
    path("drafts/new/", draft_new, name="draft_new"),
    path("drafts/reviews/", review_list, name="reviews"),
    path("outgoing/to-issue/", issue_list, name="to_issue"),
    path("<int:pk>/", document_detail, name="document"),
    path("<int:pk>/edit/", draft_edit, name="draft_edit"),
    path("<int:pk>/act/<str:action>/", document_action, name="document_action"),
    path("<int:pk>/sign-on-device/<uuid:request_id>/", sign_device, name="sign_device"),
    path("<int:pk>/issue/", document_issue, name="document_issue"),
    path("<int:pk>/files/<int:file_pk>/", document_file, name="document_file"),
]
