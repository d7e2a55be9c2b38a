"""Form PDFs render without holding the database's write lock (SQLite: one writer at a time)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from egov.dossiers import pdf


@pytest.mark.usefixtures("audit_flushable")
def test_form_pdf_renders_outside_any_transaction(
    receive: Any, personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    inside: list[bool] = []
    render = pdf.html_to_pdf

    def watched(html: str) -> bytes:  # the real renderer, noting whether a transaction is open
        inside.append(connection.in_atomic_block)
        return render(html)

    monkeypatch.setattr(pdf, "html_to_pdf", watched)
    dossier = receive()
    record = pdf.form_pdf(dossier=dossier, form_no="01", by=personas["officer_a1"])
    assert inside == [False]
    assert record.size > 1000 and record.file.read(4) == b"%PDF"
    again = pdf.form_pdf(dossier=dossier, form_no="01", by=personas["officer_a1"])
    assert again.pk == record.pk and inside == [False]  # unchanged form: stored file reused, not re-rendered
