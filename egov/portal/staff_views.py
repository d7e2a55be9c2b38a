"""Back-office pages for answering citizens' feedback (phản ánh, kiến nghị)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from egov.accounts.permissions import is_staff_user
from egov.accounts.types import AuthedRequest
from egov.portal import selectors, services
from egov.portal.forms import AnswerForm
from egov.portal.http import posted
from egov.portal.permissions import can_answer_feedback


def _staff(request: AuthedRequest) -> None:
    if not is_staff_user(request.user):
        raise PermissionDenied


def feedback_inbox(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    show = request.GET.get("show", "open")
    items = selectors.feedback_visible_to_staff(request.user)
    if show != "all":
        items = items.filter(answered_at__isnull=True)
    page = Paginator(items.order_by("created_at") if show != "all" else items, 30).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/staff_feedback_list.html", {"page": page, "show": show})


def feedback_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    _staff(request)
    item = selectors.feedback_get_for_staff(user=request.user, pk=pk)
    may_answer = item.answered_at is None and can_answer_feedback(request.user, item)
    if request.method == "POST" and not may_answer and item.answered_at is None:
        raise PermissionDenied
    form = AnswerForm(posted(request)) if may_answer else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.feedback_answer(feedback=item, answer=form.cleaned_data["answer"], by=request.user)
        except services.PortalError as exc:
            form.add_error("answer", str(exc))
        else:
            messages.success(request, _("Answer sent to the citizen."))
            return redirect("portal:staff_feedback")
    status = 422 if form is not None and form.errors else 200
    return render(request, "portal/staff_feedback_detail.html", {"item": item, "form": form}, status=status)
