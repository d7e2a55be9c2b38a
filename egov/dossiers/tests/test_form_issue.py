"""Official forms are issued by one audited service: rendered once per content, stored with the
SHA-256 of the bytes served."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from egov.audit.models import AuditEntry, AuditEvent
from egov.cli import main as egov_main
from egov.dossiers import pdf
from egov.dossiers.models import DossierFile, FileKind


def _served(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_form_is_rendered_once_stored_with_the_hash_of_its_bytes_and_audited(
    client: Client, receive: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    render = pdf.html_to_pdf

    def counted(html: str) -> bytes:  # the real renderer, counting its calls
        renders.append(html)
        return render(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counted)
    dossier = receive()
    login_as("officer_a1")
    url = reverse("dossiers:form_pdf", args=[dossier.pk, "01"])

    first = _served(client.get(url))
    stored = DossierFile.objects.get(dossier=dossier, kind=FileKind.FORM, form_no="01")
    # The integrity hash covers the bytes handed out (it used to be the hash of the HTML).
    assert first[:4] == b"%PDF" and stored.sha256 == hashlib.sha256(first).hexdigest()
    assert stored.size == len(first) and len(renders) == 1

    second = _served(client.get(url))
    assert second == first and len(renders) == 1  # the stored copy, not a new rendering
    assert DossierFile.objects.filter(dossier=dossier, kind=FileKind.FORM).count() == 1

    issued = AuditEntry.objects.filter(event=AuditEvent.DOSSIER_FORM_ISSUED)
    assert issued.count() == 1  # one entry per issued file, none for a reuse
    entry = issued.get()
    assert entry.target_id == str(dossier.pk) and entry.actor_repr != "system"
    assert entry.after["form_no"] == "01" and entry.after["sha256"] == stored.sha256
    assert entry.after["file"] == stored.pk
    assert egov_main(["audit", "verify"]) == 0


@pytest.mark.django_db
def test_a_form_whose_content_changed_is_issued_again(receive: Any, personas: dict[str, Any]) -> None:
    dossier = receive()
    first = pdf.dossier_form_issue(dossier=dossier, form_no="06", by=personas["officer_a1"])
    dossier.applicant_name = "Trần Thị Mai"
    dossier.save(update_fields=["applicant_name"])
    second = pdf.dossier_form_issue(dossier=dossier, form_no="06", by=personas["officer_a1"])
    assert second.pk != first.pk and second.content_key != first.content_key
    assert second.sha256 == hashlib.sha256(second.file.read()).hexdigest()
    assert AuditEntry.objects.filter(event=AuditEvent.DOSSIER_FORM_ISSUED).count() == 2
