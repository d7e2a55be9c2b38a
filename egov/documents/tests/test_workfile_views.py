"""The work-file pages: plan, open, file page and its actions, export, and "add to a work
file" from a document; refusals come back as 422 with the input kept."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from egov.documents import services
from egov.documents.models import Document, FilePlanEntry, WorkFile, WorkFileState
from egov.documents.tests.conftest import Office

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def work_file(office: Office) -> WorkFile:
    c = office.committee
    return services.work_file_open(
        unit=c.unit, notation="05.TH", title="Tổng hợp", retention="10", by=c.clerk
    )


def test_plan_page_adds_a_line_and_keeps_input_on_refusal(office: Office) -> None:
    c = office.committee
    client = _client(c.clerk)
    url = f"{reverse('documents:workfile_plan')}?unit={c.unit.pk}&year={timezone.localdate().year}"
    page = client.get(url)
    assert page.status_code == 200 and 'id="add-line"' in page.content.decode()
    data = {"code": "01.KH", "title": "Kế hoạch công tác năm", "retention": "20", "owner": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert FilePlanEntry.objects.get(unit=c.unit).title == "Kế hoạch công tác năm"
    response = client.post(url, {**data, "title": "Tiêu đề giữ lại"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tiêu đề giữ lại" in html and 'id="error-summary"' in html
    assert FilePlanEntry.objects.count() == 1


def test_a_specialist_reads_the_plan_but_cannot_add(office: Office) -> None:
    c = office.committee
    client = _client(c.specialist)
    url = f"{reverse('documents:workfile_plan')}?unit={c.division.pk}"
    response = client.get(url)
    assert response.status_code == 200 and 'id="add-line"' not in response.content.decode()
    assert client.post(url, {"code": "1", "title": "T", "retention": "5"}).status_code == 403
    other = office.department.unit.pk
    assert client.get(f"{reverse('documents:workfile_plan')}?unit={other}").status_code == 404


def test_plan_line_edit(office: Office) -> None:
    c = office.committee
    line = services.file_plan_entry_save(
        unit=c.unit, year=timezone.localdate().year, code="01", title="Cũ", retention="5", by=c.clerk
    )
    url = reverse("documents:workfile_plan_line", args=[line.pk])
    client = _client(c.clerk)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"code": "01", "title": "Mới", "retention": "10", "owner": str(c.leader.pk)}
        ).status_code
        == 302
    )
    line.refresh_from_db()
    assert (line.title, line.retention, line.owner) == ("Mới", "10", c.leader)
    # Someone who does not work in the unit cannot be in charge: refused, input kept.
    response = client.post(
        url, {"code": "01", "title": "Giữ", "retention": "10", "owner": str(office.outsider.pk)}
    )
    assert response.status_code == 422 and "Giữ" in response.content.decode()
    assert _client(c.specialist).get(url).status_code == 404


def test_open_page_from_the_plan_and_ad_hoc(office: Office) -> None:
    c = office.committee
    line = services.file_plan_entry_save(
        unit=c.division,
        year=timezone.localdate().year,
        code="VP.01",
        title="Hồ sơ VP",
        retention="5",
        by=c.head,
    )
    client = _client(c.head)
    url = reverse("documents:workfile_open")
    assert client.get(url).status_code == 200
    response = client.post(url, {"plan_entry": str(line.pk)})
    assert response.status_code == 302
    opened = WorkFile.objects.get(plan_entry=line)
    assert response["Location"] == reverse("documents:workfile", args=[opened.pk])
    response = client.post(
        url, {"unit": str(c.division.pk), "code": "VP 02", "title": "Giữ lại", "retention": "5"}
    )
    assert response.status_code == 422
    assert "Giữ lại" in response.content.decode()
    response = client.post(url, {"unit": str(c.division.pk), "code": "", "title": "", "retention": ""})
    assert response.status_code == 422
    assert WorkFile.objects.count() == 1
    assert _client(office.admin).get(url).status_code == 403


def test_file_page_picker_add_remove_close_and_export(
    office: Office, registered: Any, work_file: WorkFile
) -> None:
    c = office.committee
    doc = registered(subject="Về việc kiểm kê tài sản công").document
    client = _client(c.clerk)
    page = reverse("documents:workfile", args=[work_file.pk])
    found = client.get(page, {"q": "kiểm kê"})
    assert found.status_code == 200 and "Về việc kiểm kê tài sản công" in found.content.decode()
    act = lambda name: reverse("documents:workfile_action", args=[work_file.pk, name])  # noqa: E731
    assert client.post(act("add"), {"add-document": str(doc.pk)}).status_code == 302
    assert client.post(act("add"), {"add-document": str(doc.pk)}).status_code == 422  # already in
    hidden = registered(office.commune).document
    assert client.post(act("add"), {"add-document": str(hidden.pk)}).status_code == 404
    assert (
        client.post(act("remove"), {"remove-document": str(doc.pk), "remove-reason": "nhầm"}).status_code
        == 302
    )
    assert not work_file.items.exists() and Document.objects.filter(pk=doc.pk).exists()
    client.post(act("add"), {"add-document": str(doc.pk)})
    response = client.post(act("close"), {"close-closed_on": "2000-01-01"})
    assert response.status_code == 422 and "2000-01-01" in response.content.decode()
    assert client.post(act("close"), {"close-closed_on": ""}).status_code == 302
    work_file.refresh_from_db()
    assert work_file.state == WorkFileState.CLOSED
    assert client.post(act("add"), {"add-document": str(doc.pk)}).status_code == 422
    export = client.get(reverse("documents:workfile_export", args=[work_file.pk]))
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content))).namelist()
    assert sorted(names) == [f"{work_file.code}.pdf", f"{work_file.code}.xml"]
    assert client.post(act("nonsense"), {}).status_code == 404


def test_hold_needs_a_reason_and_the_leader(office: Office, work_file: WorkFile) -> None:
    c = office.committee
    url = reverse("documents:workfile_action", args=[work_file.pk, "hold"])
    assert _client(c.clerk).post(url, {"hold-reason": "x"}).status_code == 403
    leader = _client(c.leader)
    assert leader.post(url, {"hold-reason": ""}).status_code == 422
    assert leader.post(url, {"hold-reason": "Thanh tra"}).status_code == 302
    work_file.refresh_from_db()
    assert work_file.legal_hold
    page = leader.get(reverse("documents:workfile", args=[work_file.pk])).content.decode()
    assert f'action="/documents/work-files/{work_file.pk}/release/"' in page


def test_add_to_a_work_file_from_the_document(office: Office, registered: Any, work_file: WorkFile) -> None:
    c = office.committee
    doc = registered().document
    url = reverse("documents:workfile_add_document", args=[doc.pk])
    client = _client(c.clerk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"work_file": "999999"}).status_code == 422
    assert client.post(url, {"work_file": str(work_file.pk)}).status_code == 302
    assert work_file.items.filter(document=doc).exists()
    assert work_file.code in client.get(url).content.decode()  # "already in"
    assert _client(office.outsider).get(url).status_code == 404
