"""Permission-matrix rows for the handling pages and API (see matrix.py for the personas)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from egov.documents.tests.matrix_base import A, Case, U, World

API = "/api/v1/documents"


def _lead(w: World) -> int:
    return int(w.extra["lead"].pk)


def _ext(w: World) -> int:
    return int(w.extra["extension"].pk)


def _page(name: str, arg: str = "") -> object:
    def url(w: World) -> str:
        args = {"": [], "entry": [w.entry.pk], "lead": [_lead(w)], "ext": [_ext(w)]}[arg]
        if arg == "delegation":
            args = [w.extra["delegation"].pk]
        return reverse(f"documents:{name}", args=args)

    return url


def _revoke(w: World) -> str:
    return reverse("documents:delegation_revoke", args=[w.extra["delegation"].pk])


def _later(w: World) -> dict[str, object]:
    return {"due_on": (timezone.localdate() + dt.timedelta(days=20)).isoformat(), "reason": "Chờ ý kiến"}


#              anon cit clerk lead head spec c_dept outs admin audit
STAFF = (A, 404, 200, 200, 200, 200, 200, 200, 200, 200)
# On the office's (lead) assignment: its head and the chairman over it.
HANDLERS = (A, 404, 403, 200, 200, 403, 404, 404, 404, 403)
HANDLERS_422 = (A, 404, 403, 422, 422, 403, 404, 404, 404, 403)
DECIDER = (A, 404, 403, 200, 403, 403, 404, 404, 404, 403)
DIRECTOR = (A, 404, 403, 200, 404, 404, 404, 404, 404, 403)
LEADERS_ONLY = (A, 404, 403, 200, 403, 403, 403, 403, 403, 403)

CASES: list[Case] = [
    Case("documents:leader_queue", _page("leader_queue"), STAFF),  # type: ignore[arg-type]
    Case("documents:entry_direct", _page("entry_direct", "entry"), DIRECTOR),  # type: ignore[arg-type]
    Case(
        "documents:entry_direct",
        _page("entry_direct", "entry"),  # type: ignore[arg-type]
        (A, 404, 403, 422, 404, 404, 404, 404, 404, 403),
        method="POST",
        body={"text": "Giao"},
    ),
    Case("documents:inbox", _page("inbox"), STAFF),  # type: ignore[arg-type]
    Case(
        "documents:messages_read",
        _page("messages_read"),  # type: ignore[arg-type]
        (A, 404, 302, 302, 302, 302, 302, 302, 302, 302),
        method="POST",
        body={},
    ),
    Case("documents:assignment_forward", _page("assignment_forward", "lead"), HANDLERS),  # type: ignore[arg-type]
    Case(
        "documents:assignment_forward",
        _page("assignment_forward", "lead"),  # type: ignore[arg-type]
        HANDLERS_422,
        method="POST",
        body={"text": "Chuyển"},
    ),
    Case("documents:assignment_note", _page("assignment_note", "lead"), HANDLERS),  # type: ignore[arg-type]
    Case(
        "documents:assignment_note",
        _page("assignment_note", "lead"),  # type: ignore[arg-type]
        HANDLERS_422,
        method="POST",
        body={"kind": "progress", "text": ""},
    ),
    Case("documents:extension_request", _page("extension_request", "lead"), HANDLERS),  # type: ignore[arg-type]
    Case(
        "documents:extension_request",
        _page("extension_request", "lead"),  # type: ignore[arg-type]
        HANDLERS_422,
        method="POST",
        body={"due_on": "2020-01-01", "reason": "x"},
    ),
    Case("documents:assignment_done", _page("assignment_done", "lead"), HANDLERS),  # type: ignore[arg-type]
    Case(
        "documents:assignment_done",
        _page("assignment_done", "lead"),  # type: ignore[arg-type]
        HANDLERS_422,
        method="POST",
        body={"text": ""},
    ),
    # Not reported done yet: the chairman (who assigned it) is sent back to the page.
    Case(
        "documents:assignment_accept",
        _page("assignment_accept", "lead"),  # type: ignore[arg-type]
        (A, 404, 403, 302, 403, 403, 404, 404, 404, 403),
    ),
    Case("documents:extension_decide", _page("extension_decide", "ext"), DECIDER),  # type: ignore[arg-type]
    Case(
        "documents:extension_decide",
        _page("extension_decide", "ext"),  # type: ignore[arg-type]
        (A, 404, 403, 422, 403, 403, 404, 404, 404, 403),
        method="POST",
        body={"decision": "no", "note": ""},
    ),
    Case("documents:delegations", _page("delegations"), LEADERS_ONLY),  # type: ignore[arg-type]
    Case(
        "documents:delegations",
        _page("delegations"),  # type: ignore[arg-type]
        (A, 404, 403, 422, 403, 403, 403, 403, 403, 403),
        method="POST",
        body={},
    ),
    Case(
        "documents:delegation_revoke",
        _revoke,
        (A, 404, 404, 302, 403, 404, 404, 404, 404, 404),
        method="POST",
        body={},
    ),
    # API
    Case(
        "POST /api/v1/documents/entries/{entry_id}/direct",
        lambda w: f"{API}/entries/{w.entry.pk}/direct",
        (U, 404, 403, 201, 404, 404, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"lead": {"unit_id": w.office.committee.division.pk}, "due_days": 3},
        json=True,
    ),
    Case(
        "POST /api/v1/documents/assignments/{assignment_id}/forward",
        lambda w: f"{API}/assignments/{_lead(w)}/forward",
        (U, 404, 403, 201, 201, 403, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"lead": {"person_id": w.office.committee.specialist.pk}},
        json=True,
    ),
    Case("GET /api/v1/documents/inbox", lambda w: f"{API}/inbox", (U, 404, *STAFF[2:])),
    Case(
        "GET /api/v1/documents/assignments/{assignment_id}",
        lambda w: f"{API}/assignments/{_lead(w)}",
        (U, 404, 200, 200, 200, 200, 404, 404, 404, 200),
    ),
    Case(
        "POST /api/v1/documents/assignments/{assignment_id}/notes",
        lambda w: f"{API}/assignments/{_lead(w)}/notes",
        (U, 404, 403, 201, 201, 403, 404, 404, 404, 403),
        method="POST",
        body={"text": "Đang xử lý", "kind": "progress"},
    ),
    Case(
        "POST /api/v1/documents/assignments/{assignment_id}/extensions",
        lambda w: f"{API}/assignments/{_lead(w)}/extensions",
        (U, 404, 403, 201, 201, 403, 404, 404, 404, 403),
        method="POST",
        body=_later,
        json=True,
    ),
    Case(
        "POST /api/v1/documents/extensions/{extension_id}/decide",
        lambda w: f"{API}/extensions/{_ext(w)}/decide",
        (U, 404, 403, 200, 403, 403, 404, 404, 404, 403),
        method="POST",
        body={"grant": True},
        json=True,
    ),
    Case(
        "POST /api/v1/documents/assignments/{assignment_id}/done",
        lambda w: f"{API}/assignments/{_lead(w)}/done",
        (U, 404, 403, 200, 200, 403, 404, 404, 404, 403),
        method="POST",
        body={"text": "Đã xong"},
        json=True,
    ),
    Case(
        "POST /api/v1/documents/assignments/{assignment_id}/accept",
        lambda w: f"{API}/assignments/{_lead(w)}/accept",
        (U, 404, 403, 422, 403, 403, 404, 404, 404, 403),
        method="POST",
        body={"accept": True},
        json=True,
    ),
]
