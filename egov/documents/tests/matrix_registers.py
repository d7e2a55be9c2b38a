"""Permission-matrix rows for the registers pages and API (see matrix.py for the personas)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from egov.documents import services
from egov.documents.models import Register, RegisterKind
from egov.documents.services import access
from egov.documents.tests.conftest import incoming_meta
from egov.documents.tests.matrix_base import A, Case, U, World


def extras(world: World) -> None:
    c = world.office.committee
    register = Register.objects.create(
        agency=c.unit, kind=RegisterKind.INCOMING, name="Sổ văn bản mật đến", code="MAT", is_secret=True
    )
    secret = services.entry_register(
        agency=c.unit,
        register=register,
        meta=incoming_meta(secrecy="secret", number="5", notation="BCA-A"),
        medium="paper",
        by=c.clerk,
    )
    world.extra["secret_document"] = secret.document
    world.extra["grant"] = access.access_grant(document=secret.document, person=c.specialist, by=c.leader)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile("ban-chinh.pdf", buffer.getvalue(), content_type="application/pdf")
    world.extra["pdf_file"] = services.document_file_store(
        document=world.entry.document, upload=upload, role="attachment", by=c.clerk
    )


def _c(w: World) -> int:
    return w.office.committee.unit.pk


def _incoming(w: World) -> int:
    return w.office.committee.incoming.pk


def _period(w: World) -> str:
    return "start=01/01/2026&end=31/12/2026"


def _register_body(w: World) -> dict[str, Any]:
    return {"agency_id": _c(w), "kind": "incoming", "name": "Sổ đến phụ", "code": "DENPHU"}


REGISTER_KEEPERS = (A, 404, 200, 200, 404, 404, 404, 404, 200, 404)
REPORT_READERS = (A, 403, 200, 200, 403, 403, 403, 403, 200, 200)

CASES: list[Case] = [
    Case(
        "documents:registers",
        lambda w: "/documents/registers/",
        (A, 403, 200, 200, 403, 403, 200, 403, 200, 403),
    ),
    Case(
        "documents:register_create",
        lambda w: f"/documents/registers/new/?agency={_c(w)}",
        (A, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case("documents:register", lambda w: f"/documents/registers/{_incoming(w)}/", REGISTER_KEEPERS),
    Case(
        "documents:register_edit",
        lambda w: f"/documents/registers/{_incoming(w)}/edit/",
        (A, 404, 403, 403, 404, 404, 404, 404, 200, 404),
    ),
    Case(
        "documents:register_print",
        lambda w: f"/documents/registers/{_incoming(w)}/print/?{_period(w)}&format=xlsx",
        REGISTER_KEEPERS,
    ),
    Case(
        "documents:office_settings",
        lambda w: f"/documents/settings/{_c(w)}/",
        (A, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    ),
    Case(
        "documents:handling_report",
        lambda w: f"/documents/reports/?agency={_c(w)}&{_period(w)}",
        REPORT_READERS,
    ),
    Case(
        "documents:handling_drill",
        lambda w: f"/documents/reports/entries/?agency={_c(w)}&{_period(w)}&bucket=in_progress_overdue",
        REPORT_READERS,
    ),
    Case(
        "documents:access_log",
        lambda w: f"/documents/access-log/?agency={_c(w)}",
        (A, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    ),
    Case(
        "documents:access_grants",
        lambda w: f"/documents/{w.extra['secret_document'].pk}/access/",
        (A, 404, 404, 200, 404, 403, 404, 404, 404, 404),
    ),
    Case(
        "documents:access_revoke",
        lambda w: f"/documents/access/{w.extra['grant'].pk}/revoke/",
        (A, 404, 404, 302, 404, 403, 404, 404, 404, 404),
        method="POST",
    ),
    Case(
        "documents:file_download_watermarked",
        lambda w: f"/documents/files/{w.extra['pdf_file'].pk}/watermarked/",
        (A, 404, 200, 200, 404, 404, 404, 404, 404, 200),
    ),
    # API
    Case(
        "GET /api/v1/documents/registers",
        lambda w: "/api/v1/documents/registers",
        (U, 403, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    Case(
        "POST /api/v1/documents/registers",
        lambda w: "/api/v1/documents/registers",
        (U, 403, 403, 403, 403, 403, 403, 403, 201, 403),
        method="POST",
        body=_register_body,
        json=True,
    ),
    Case(
        "PUT /api/v1/documents/registers/{register_id}",
        lambda w: f"/api/v1/documents/registers/{_incoming(w)}",
        (U, 404, 403, 403, 404, 404, 404, 404, 200, 404),
        method="PUT",
        body=lambda w: {**_register_body(w), "code": "DEN", "name": "Sổ văn bản đến chung"},
        json=True,
    ),
    Case(
        "GET /api/v1/documents/registers/{register_id}/lines",
        lambda w: f"/api/v1/documents/registers/{_incoming(w)}/lines",
        (U, 404, 200, 200, 404, 404, 404, 404, 200, 404),
    ),
    Case(
        "GET /api/v1/documents/registers/reports/handling",
        lambda w: (
            f"/api/v1/documents/registers/reports/handling?agency_id={_c(w)}&start=2026-01-01&end=2026-12-31"
        ),
        (U, 403, 200, 200, 403, 403, 403, 403, 200, 200),
    ),
    Case(
        "GET /api/v1/documents/registers/access-log",
        lambda w: f"/api/v1/documents/registers/access-log?agency_id={_c(w)}",
        (U, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    ),
]
