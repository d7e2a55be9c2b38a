"""The public check (kiểm tra văn bản điện tử): anyone uploads a PDF issued by the province and
sees whether its signatures are genuine and the file unchanged. Nothing is stored: no report
row is written and the upload is not saved (see :func:`memory_only` for temporary files)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from egov.core.middleware import client_ip
from egov.signatures.models import Verdict
from egov.signatures.pdf import MAX_PDF_BYTES
from egov.signatures.selectors import badge_view, signature_public
from egov.signatures.validation import validate_pdf

# Checks per client IP per window (seconds): checking is work for the server.
DEFAULT_RATE = (20, 600)


def rate_limited(request: HttpRequest) -> bool:
    """Count one check for the client's IP; True when it has used up its checks."""
    per_ip, window = getattr(settings, "EGOV_SIGNATURE_CHECK_RATE", DEFAULT_RATE)
    key = f"egov:rl:sigcheck:ip:{client_ip(request) or '-'}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > per_ip


def memory_only(request: HttpRequest) -> None:
    """Keep uploads in memory so the file is never written anywhere, when the body has not been
    read yet. (Egov's input-cleaning middleware reads every form body before the view; then a
    file over 2.5 MB went through a temporary file that Django deletes when the request ends.)"""
    if not hasattr(request, "_files"):
        request.upload_handlers = [MemoryFileUploadHandler(request)]


class CheckRefused(Exception):
    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def check_uploaded(request: HttpRequest, upload: Any) -> dict[str, Any]:
    """The report of an uploaded PDF, as the page and the API show it; :class:`CheckRefused`
    with a Vietnamese message for what cannot be checked."""
    if rate_limited(request):
        raise CheckRefused(_("Too many checks. Please wait a few minutes and try again."), 429)
    if upload is None:
        raise CheckRefused(_("Choose the PDF file to check."))
    if upload.size > MAX_PDF_BYTES:
        raise CheckRefused(_("The PDF is larger than 50 MB."), 413)
    result = validate_pdf(upload.read())
    if result.verdict == Verdict.UNREADABLE:
        raise CheckRefused(result.summary)
    return {
        "verdict": result.verdict,
        "summary": result.summary,
        "checked_at": timezone.now(),
        "signatures": [signature_public(s) for s in result.as_json()],
    }


def too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_PDF_BYTES + 64 * 1024
    except ValueError:
        return False


@login_not_required
@csrf_exempt
def check(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: the report of the uploaded PDF (nothing kept)."""
    if request.method == "POST":
        memory_only(request)
    return _check(request)


@csrf_protect
def _check(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"check": None, "error": "", "name": ""}
    status = 200
    if request.method == "POST":
        try:
            if too_large(request):
                raise CheckRefused(_("The PDF is larger than 50 MB."), 413)
            upload = request.FILES.get("file")
            report = check_uploaded(request, upload)
        except CheckRefused as exc:
            context["error"], status = str(exc), exc.status
        else:
            context["name"] = getattr(upload, "name", "")
            context["check"] = badge_view(report["verdict"], report["summary"], report["signatures"])
    response = render(request, "signatures/check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
