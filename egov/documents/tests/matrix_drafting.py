"""Permission-matrix rows for the drafting pages and API (see matrix.py for the personas).

The world's extras (``drafting_helpers.matrix_extras``): ``draft`` (the committee specialist's
draft with a version), ``review`` (waiting for the head of the office), ``approved`` (waiting for
the clerk), ``issued`` (issued by the committee). Personas in order: anonymous, citizen, clerk,
leader, head, specialist, clerk_dept, outsider, admin, auditor."""

from __future__ import annotations

from egov.documents.tests.conftest import pdf_upload
from egov.documents.tests.matrix_base import A, Case, U, World

API = "/api/v1/documents"


def _pk(w: World, key: str) -> int:
    return int(w.extra[key].pk)


def _new_draft(w: World) -> dict[str, object]:
    return {"drafting_unit_id": w.office.committee.division.pk, "doc_type": "CV", "subject": "V/v thử"}


CASES: list[Case] = [
    # Pages.
    Case(
        "documents:drafts", lambda w: "/documents/drafts/", (A, 404, 200, 200, 200, 200, 200, 200, 200, 200)
    ),
    Case(
        "documents:reviews",
        lambda w: "/documents/drafts/reviews/",
        (A, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "documents:to_issue",
        lambda w: "/documents/outgoing/to-issue/",
        (A, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "documents:draft_new",
        lambda w: "/documents/drafts/new/",
        (A, 404, 403, 200, 200, 200, 403, 200, 403, 403),
    ),
    Case(
        "documents:draft_new",
        lambda w: "/documents/drafts/new/",
        (A, 404, 403, 422, 422, 422, 403, 422, 403, 403),
        "POST",
        {"subject": ""},
    ),
    Case(
        "documents:document",
        lambda w: f"/documents/{_pk(w, 'review')}/",
        (A, 404, 200, 200, 200, 200, 404, 404, 404, 200),
    ),
    Case(
        "documents:document",
        lambda w: f"/documents/{_pk(w, 'issued')}/",
        (A, 404, 200, 200, 200, 200, 404, 404, 404, 200),
    ),
    Case(
        "documents:draft_edit",
        lambda w: f"/documents/{_pk(w, 'draft')}/edit/",
        (A, 404, 403, 403, 404, 200, 404, 404, 404, 403),
    ),
    Case(
        "documents:document_action",
        lambda w: f"/documents/{_pk(w, 'review')}/act/approve/",
        (A, 404, 403, 403, 302, 403, 404, 404, 404, 403),
        "POST",
        {"approve-comment": "Đồng ý"},
    ),
    Case(
        "documents:document_action",
        lambda w: f"/documents/{_pk(w, 'issued')}/act/recall/",
        (A, 404, 422, 422, 403, 403, 404, 404, 404, 403),
        "POST",
        {"recall-reason": ""},
    ),
    Case(
        "documents:document_issue",
        lambda w: f"/documents/{_pk(w, 'approved')}/issue/",
        (A, 404, 200, 403, 403, 403, 404, 404, 404, 403),
    ),
    Case(
        "documents:document_file",
        lambda w: f"/documents/{_pk(w, 'draft')}/files/{_pk(w, 'draft_file')}/",
        (A, 404, 200, 200, 404, 200, 404, 404, 404, 200),
    ),
    # API.
    Case(f"GET {API}/drafts", lambda w: f"{API}/drafts", (U, 404, 200, 200, 200, 200, 200, 200, 200, 200)),
    Case(
        f"GET {API}/drafts/reviews",
        lambda w: f"{API}/drafts/reviews",
        (U, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        f"GET {API}/drafts/to-issue",
        lambda w: f"{API}/drafts/to-issue",
        (U, 404, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        f"POST {API}/drafts",
        lambda w: f"{API}/drafts",
        (U, 404, 403, 201, 201, 201, 403, 403, 403, 403),
        "POST",
        _new_draft,
        json=True,
    ),
    Case(
        f"GET {API}/drafts/{{document_id}}",
        lambda w: f"{API}/drafts/{_pk(w, 'review')}",
        (U, 404, 200, 200, 200, 200, 404, 404, 404, 200),
    ),
    Case(
        f"PUT {API}/drafts/{{document_id}}",
        lambda w: f"{API}/drafts/{_pk(w, 'draft')}",
        (U, 404, 403, 403, 404, 200, 404, 404, 404, 403),
        "PUT",
        {"doc_type": "CV", "subject": "V/v sửa"},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/versions",
        lambda w: f"{API}/drafts/{_pk(w, 'draft')}/versions",
        (U, 404, 403, 403, 404, 201, 404, 404, 404, 403),
        "POST",
        lambda w: {"file": pdf_upload()},
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/submit",
        lambda w: f"{API}/drafts/{_pk(w, 'draft')}/submit",
        (U, 404, 403, 403, 404, 200, 404, 404, 404, 403),
        "POST",
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/approve",
        lambda w: f"{API}/drafts/{_pk(w, 'review')}/approve",
        (U, 404, 403, 403, 200, 403, 404, 404, 404, 403),
        "POST",
        {},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/send-back",
        lambda w: f"{API}/drafts/{_pk(w, 'review')}/send-back",
        (U, 404, 403, 403, 200, 403, 404, 404, 404, 403),
        "POST",
        {"comment": "Sửa lại"},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/abandon",
        lambda w: f"{API}/drafts/{_pk(w, 'draft')}/abandon",
        (U, 404, 403, 403, 404, 200, 404, 404, 404, 403),
        "POST",
        {},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/issue",
        lambda w: f"{API}/drafts/{_pk(w, 'approved')}/issue",
        (U, 404, 200, 403, 403, 403, 404, 404, 404, 403),
        "POST",
        lambda w: {"register_id": w.office.committee.outgoing.pk},
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/recall",
        lambda w: f"{API}/drafts/{_pk(w, 'issued')}/recall",
        (U, 404, 200, 200, 403, 403, 404, 404, 404, 403),
        "POST",
        {"reason": "Sai sót"},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/replace",
        lambda w: f"{API}/drafts/{_pk(w, 'issued')}/replace",
        (U, 404, 422, 422, 403, 403, 404, 404, 404, 403),
        "POST",
        lambda w: {"replacement_id": w.extra["issued"].pk, "reason": "Thay"},
        json=True,
    ),
    # Digital signatures: the competent person signs (the leader approved last; no key in the
    # matrix world, so the one allowed gets the refusal), a clerk of a holding agency copies.
    Case(
        "documents:document_action",
        lambda w: f"/documents/{_pk(w, 'approved')}/act/sign/",
        (A, 404, 403, 422, 403, 403, 404, 404, 404, 403),
        "POST",
        {},
    ),
    Case(
        "documents:document_action",
        lambda w: f"/documents/{_pk(w, 'issued')}/act/copy/",
        (A, 404, 422, 403, 403, 403, 404, 404, 404, 403),
        "POST",
        {"copy-form": "sao_y"},
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/sign",
        lambda w: f"{API}/drafts/{_pk(w, 'approved')}/sign",
        (U, 404, 403, 422, 403, 403, 404, 404, 404, 403),
        "POST",
        {},
        json=True,
    ),
    Case(
        f"POST {API}/drafts/{{document_id}}/copies",
        lambda w: f"{API}/drafts/{_pk(w, 'issued')}/copies",
        (U, 404, 422, 403, 403, 403, 404, 404, 404, 403),
        "POST",
        {"form": "sao_y"},
        json=True,
    ),
]
