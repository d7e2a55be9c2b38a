"""Permission-matrix rows for the search pages and API (see matrix.py for the personas)."""

from __future__ import annotations

from egov.documents.models import SavedSearch
from egov.documents.tests.matrix_base import A, Case, U, World

# anonymous, citizen, clerk, leader, head, specialist, clerk_dept, outsider, admin, auditor
STAFF_PAGE = (A, 404, 200, 200, 200, 200, 200, 200, 200, 200)
STAFF_API = (U, 404, 200, 200, 200, 200, 200, 200, 200, 200)
# Only the clerk owns the saved search of the world.
OWNER_PAGE = (A, 404, 302, 404, 404, 404, 404, 404, 404, 404)


def _saved(w: World) -> SavedSearch:
    """The clerk's saved search (made on first use; the matrix rolls each request back)."""
    if "saved_search" not in w.extra:
        w.extra["saved_search"] = SavedSearch.objects.create(
            owner=w.people["clerk"], name="Đất đai", query="q=dat+dai"
        )
    saved: SavedSearch = w.extra["saved_search"]
    return saved


CASES: list[Case] = [
    Case("documents:search", lambda w: "/documents/search/?q=dat+dai", STAFF_PAGE),
    Case(
        "documents:search",
        lambda w: "/documents/search/?date_from=2026-02-01&date_to=2026-01-01",
        (A, 404, 422, 422, 422, 422, 422, 422, 422, 422),
    ),
    Case("documents:search_export", lambda w: "/documents/search/export.xlsx?q=ke+hoach", STAFF_PAGE),
    Case(
        "documents:search_save",
        lambda w: "/documents/search/saved/",
        (A, 404, 302, 302, 302, 302, 302, 302, 302, 302),
        method="POST",
        body={"name": "Văn bản đến", "query": "q=van+ban"},
    ),
    Case("documents:search_saved", lambda w: f"/documents/search/saved/{_saved(w).pk}/", OWNER_PAGE),
    Case(
        "documents:search_saved_delete",
        lambda w: f"/documents/search/saved/{_saved(w).pk}/delete/",
        OWNER_PAGE,
        method="POST",
    ),
    Case("GET /api/v1/documents/search", lambda w: "/api/v1/documents/search?q=dat%20dai&limit=5", STAFF_API),
    Case("GET /api/v1/documents/search/saved", lambda w: "/api/v1/documents/search/saved", STAFF_API),
    Case(
        "POST /api/v1/documents/search/saved",
        lambda w: "/api/v1/documents/search/saved",
        (U, 404, 201, 201, 201, 201, 201, 201, 201, 201),
        method="POST",
        body={"name": "Quyết định", "query": "doc_type=QD"},
        json=True,
    ),
    Case(
        "DELETE /api/v1/documents/search/saved/{saved_id}",
        lambda w: f"/api/v1/documents/search/saved/{_saved(w).pk}",
        (U, 404, 204, 404, 404, 404, 404, 404, 404, 404),
        method="DELETE",
    ),
]
