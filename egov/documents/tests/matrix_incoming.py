"""Permission-matrix rows for the incoming pages and API (see matrix.py for the personas)."""

from __future__ import annotations

from django.urls import reverse

from egov.documents.tests.matrix_base import A, Case, U, World

API = "/api/v1/documents"


def _registered(w: World) -> int:
    return int(w.extra["registered"].pk)


def _file(w: World) -> str:
    stored = w.entry.document.files.get()
    return reverse("documents:entry_file", args=[w.entry.pk, stored.pk])


def _register_body(w: World) -> dict[str, object]:
    return {
        "register_id": w.office.committee.incoming.pk,
        "doc_type": "CV",
        "issuer_name": "Sở Tài chính",
        "subject": "V/v báo cáo quý",
        "number": "88",
        "notation": "STC-NS",
    }


#                 anon cit clerk lead head spec c_dept outs admin audit
CLERKS_ONLY = (A, 404, 200, 403, 403, 403, 200, 403, 403, 403)
READERS = (A, 404, 200, 200, 404, 404, 404, 404, 404, 200)

CASES: list[Case] = [
    Case("documents:incoming_queue", lambda w: reverse("documents:incoming_queue"), CLERKS_ONLY),
    Case("documents:incoming_register", lambda w: reverse("documents:incoming_register"), CLERKS_ONLY),
    Case(
        "documents:incoming_register",
        lambda w: reverse("documents:incoming_register"),
        (A, 404, 422, 403, 403, 403, 422, 403, 403, 403),
        method="POST",
        body={},
    ),
    Case("documents:entry", lambda w: reverse("documents:entry", args=[w.entry.pk]), READERS),
    Case("documents:entry_file", _file, READERS),
    Case(
        "documents:entry_submit",
        lambda w: reverse("documents:entry_submit", args=[_registered(w)]),
        (A, 404, 200, 403, 404, 404, 404, 404, 404, 403),
    ),
    Case(
        "documents:entry_submit",
        lambda w: reverse("documents:entry_submit", args=[_registered(w)]),
        (A, 404, 422, 403, 404, 404, 404, 404, 404, 403),
        method="POST",
        body={},
    ),
    # A paper document cannot go back through the system: the clerk is sent back to the page.
    Case(
        "documents:entry_return",
        lambda w: reverse("documents:entry_return", args=[_registered(w)]),
        (A, 404, 302, 403, 404, 404, 404, 404, 404, 403),
    ),
    Case(
        "GET /api/v1/documents/entries",
        lambda w: f"{API}/entries",
        (U, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "GET /api/v1/documents/entries/{entry_id}",
        lambda w: f"{API}/entries/{w.entry.pk}",
        (U, 404, 200, 200, 404, 404, 404, 404, 404, 200),
    ),
    Case(
        "POST /api/v1/documents/entries",
        lambda w: f"{API}/entries",
        (U, 404, 201, 403, 403, 403, 403, 403, 403, 403),
        method="POST",
        body=_register_body,
    ),
    Case(
        "POST /api/v1/documents/entries/{entry_id}/submit",
        lambda w: f"{API}/entries/{_registered(w)}/submit",
        (U, 404, 200, 403, 404, 404, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"leader_id": w.office.committee.leader.pk},
        json=True,
    ),
    Case(
        "POST /api/v1/documents/entries/{entry_id}/return",
        lambda w: f"{API}/entries/{_registered(w)}/return",
        (U, 404, 422, 403, 404, 404, 404, 404, 404, 403),
        method="POST",
        body={"reason": "Không xác thực được"},
        json=True,
    ),
]
