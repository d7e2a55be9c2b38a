"""Permission-matrix rows for the workfiles pages and API (see matrix.py for the personas).

The world's work files belong to the provincial People's Committee itself: its agency-wide
roles (clerk, leader, auditor) and its unit administrator see them; the head and the specialist
of its office (a division below) do not, nor does anyone of another agency."""

from __future__ import annotations

from django.utils import timezone

from egov.documents import services
from egov.documents.models import Document, DraftState
from egov.documents.tests.matrix_base import A, Case, U, World


def extend_world(world: World) -> None:
    """An open file and a closed file of the committee, both holding the world's entry; a
    document of the committee in no file; a line of the committee's plan."""
    c = world.office.committee
    document = world.entry.document
    open_file = services.work_file_open(
        unit=c.unit, notation="01.TH", title="Hồ sơ mở", retention="10", by=c.clerk
    )
    closed_file = services.work_file_open(
        unit=c.unit, notation="02.TH", title="Hồ sơ đóng", retention="5", by=c.clerk
    )
    for work_file in (open_file, closed_file):
        services.work_file_add_document(work_file=work_file, document=document, by=c.clerk)
    services.work_file_close(work_file=closed_file, by=c.clerk)
    world.extra["work_file"] = open_file
    world.extra["closed_file"] = closed_file
    world.extra["plan_line"] = services.file_plan_entry_save(
        unit=c.unit,
        year=timezone.localdate().year,
        code="03.TH",
        title="Dòng kế hoạch",
        retention="10",
        by=c.clerk,
    )
    world.extra["loose_document"] = Document.objects.create(
        doc_type="CV",
        number="12",
        notation="UBND-VP",
        issued_on=timezone.localdate(),
        issuer_name=c.unit.name,
        issuer_unit=c.unit,
        subject="V/v báo cáo chưa lập hồ sơ",
        state=DraftState.ISSUED,
    )


def _f(w: World) -> int:
    return int(w.extra["work_file"].pk)


def _closed(w: World) -> int:
    return int(w.extra["closed_file"].pk)


def _unit(w: World) -> int:
    return int(w.office.committee.unit.pk)


def _loose(w: World) -> int:
    return int(w.extra["loose_document"].pk)


API = "/api/v1/documents/work-files"
_PLAN_BODY = {"code": "09.TH", "title": "Dòng mới", "retention": "10"}

# Expected statuses, in PERSONAS order:
# anonymous, citizen, clerk, leader, head, specialist, clerk_dept, outsider, admin, auditor
STAFF_PAGE = (A, 404, 200, 200, 200, 200, 200, 200, 200, 200)
READERS_PAGE = (A, 404, 200, 200, 404, 404, 404, 404, 200, 200)
KEEPERS_POST = (A, 404, 302, 302, 404, 404, 404, 404, 403, 403)
READERS_API = (U, 404, 200, 200, 404, 404, 404, 404, 200, 200)

CASES: list[Case] = [
    Case("documents:workfile_list", lambda w: "/documents/work-files/?view=all", STAFF_PAGE),
    Case("documents:workfile_plan", lambda w: "/documents/work-files/plan/", STAFF_PAGE),
    Case("documents:workfile_plan", lambda w: f"/documents/work-files/plan/?unit={_unit(w)}", READERS_PAGE),
    Case(
        "documents:workfile_plan",
        lambda w: f"/documents/work-files/plan/?unit={_unit(w)}",
        KEEPERS_POST,
        method="POST",
        body={**_PLAN_BODY, "owner": ""},
    ),
    Case(
        "documents:workfile_plan_line",
        lambda w: f"/documents/work-files/plan/{w.extra['plan_line'].pk}/",
        (A, 404, 200, 200, 404, 404, 404, 404, 403, 403),
    ),
    Case(
        "documents:workfile_plan_line",
        lambda w: f"/documents/work-files/plan/{w.extra['plan_line'].pk}/",
        KEEPERS_POST,
        method="POST",
        body={"code": "03.TH", "title": "Đổi tên", "retention": "20", "owner": ""},
    ),
    # Anyone working in a unit may open a file there; the administrator and the auditor do not.
    Case(
        "documents:workfile_open",
        lambda w: "/documents/work-files/open/",
        (A, 404, 200, 200, 200, 200, 200, 200, 403, 403),
    ),
    Case(
        "documents:workfile_open",
        lambda w: "/documents/work-files/open/",
        # The committee is not among the units a division's staff or another agency may choose.
        (A, 404, 302, 302, 422, 422, 422, 422, 403, 403),
        method="POST",
        body=lambda w: {"unit": str(_unit(w)), "code": "10.TH", "title": "Hồ sơ mới", "retention": "5"},
    ),
    Case("documents:workfile", lambda w: f"/documents/work-files/{_f(w)}/", READERS_PAGE),
    # The administrator may not read the document to be filed: 404 before the table is asked.
    Case(
        "documents:workfile_action",
        lambda w: f"/documents/work-files/{_f(w)}/add/",
        (A, 404, 302, 302, 404, 404, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"add-document": str(_loose(w))},
    ),
    Case(
        "documents:workfile_action",
        lambda w: f"/documents/work-files/{_f(w)}/remove/",
        (A, 404, 302, 302, 404, 404, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"remove-document": str(w.entry.document_id), "remove-reason": "nhầm"},
    ),
    Case(
        "documents:workfile_action",
        lambda w: f"/documents/work-files/{_f(w)}/close/",
        KEEPERS_POST,
        method="POST",
        body={"close-closed_on": ""},
    ),
    Case(
        "documents:workfile_action",
        lambda w: f"/documents/work-files/{_f(w)}/hold/",
        (A, 404, 403, 302, 404, 404, 404, 404, 302, 403),
        method="POST",
        body={"hold-reason": "Thanh tra"},
    ),
    # Not under hold: those who may lift a hold are told why not (422).
    Case(
        "documents:workfile_action",
        lambda w: f"/documents/work-files/{_closed(w)}/release/",
        (A, 404, 403, 422, 404, 404, 404, 404, 422, 403),
        method="POST",
        body={"release-reason": "Xong"},
    ),
    Case(
        "documents:workfile_export", lambda w: f"/documents/work-files/{_closed(w)}/export.zip", READERS_PAGE
    ),
    Case(
        "documents:workfile_add_document",
        lambda w: f"/documents/{_loose(w)}/work-file/",
        (A, 404, 200, 200, 404, 404, 404, 404, 404, 200),
    ),
    Case(
        "documents:workfile_add_document",
        lambda w: f"/documents/{_loose(w)}/work-file/",
        # The auditor has no file to choose: the choice is refused.
        (A, 404, 302, 302, 404, 404, 404, 404, 404, 422),
        method="POST",
        body=lambda w: {"work_file": str(_f(w))},
    ),
    # The API.
    Case(
        "GET /api/v1/documents/work-files/plan",
        lambda w: f"{API}/plan?unit_id={_unit(w)}&year={timezone.localdate().year}",
        READERS_API,
    ),
    Case(
        "POST /api/v1/documents/work-files/plan",
        lambda w: f"{API}/plan",
        (U, 404, 201, 201, 404, 404, 404, 404, 403, 403),
        method="POST",
        body=lambda w: {**_PLAN_BODY, "unit_id": _unit(w), "year": timezone.localdate().year},
        json=True,
    ),
    Case(
        "PUT /api/v1/documents/work-files/plan/{line_id}",
        lambda w: f"{API}/plan/{w.extra['plan_line'].pk}",
        (U, 404, 200, 200, 404, 404, 404, 404, 403, 403),
        method="PUT",
        body={"code": "03.TH", "title": "Đổi tên", "retention": "20"},
        json=True,
    ),
    Case("GET /api/v1/documents/work-files", lambda w: f"{API}?view=all", (U, 404, *(200,) * 8)),
    Case(
        "POST /api/v1/documents/work-files",
        lambda w: API,
        (U, 404, 201, 201, 404, 404, 404, 404, 403, 403),
        method="POST",
        body=lambda w: {"unit_id": _unit(w), "code": "10.TH", "title": "Hồ sơ mới", "retention": "5"},
        json=True,
    ),
    Case("GET /api/v1/documents/work-files/{work_file_id}", lambda w: f"{API}/{_f(w)}", READERS_API),
    Case(
        "POST /api/v1/documents/work-files/{work_file_id}/{action}",
        lambda w: f"{API}/{_f(w)}/add",
        (U, 404, 200, 200, 404, 404, 404, 404, 404, 403),
        method="POST",
        body=lambda w: {"document_id": _loose(w)},
        json=True,
    ),
    Case(
        "POST /api/v1/documents/work-files/{work_file_id}/{action}",
        lambda w: f"{API}/{_f(w)}/hold",
        (U, 404, 403, 200, 404, 404, 404, 404, 200, 403),
        method="POST",
        body={"reason": "Thanh tra"},
        json=True,
    ),
    Case(
        "GET /api/v1/documents/work-files/{work_file_id}/export",
        lambda w: f"{API}/{_closed(w)}/export",
        READERS_API,
    ),
]
