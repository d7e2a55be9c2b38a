"""The search page, saved searches, the export and the search API."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import _person, sign_in
from egov.documents import services
from egov.documents.errors import ActionForbidden, DocumentError
from egov.documents.models import SavedSearch
from egov.documents.search import search_reindex
from egov.documents.search.export import search_export_xlsx
from egov.documents.search.query import SearchQuery
from egov.documents.tests.conftest import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(office: Office, registered):
    a = registered(
        subject="Quyết định về giao đất đai cho hộ gia đình", number="123", notation="QĐ-UBND", doc_type="QD"
    )
    b = registered(subject="Báo cáo tình hình kinh tế xã hội", number="45", notation="BC-UBND", doc_type="BC")
    c = registered(office.commune, subject="Quyết định đất đai của xã", number="9", notation="QĐ-UBND")
    search_reindex()
    return a, b, c


def test_the_page_finds_unaccented_words_within_scope(client: Client, office: Office, indexed) -> None:
    sign_in(client, office.committee.clerk)
    page = client.get("/documents/search/", {"q": "quyet dinh dat dai"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "giao đất đai" in html
    assert "của xã" not in html  # the commune document is outside the committee clerk scope
    assert "kinh tế" not in html
    page = client.get("/documents/search/", {"q": "123/QĐ"})
    assert "giao đất đai" in page.content.decode()


def test_bad_filters_answer_422_with_the_input_kept(client: Client, office: Office, indexed) -> None:
    sign_in(client, office.committee.clerk)
    page = client.get(
        "/documents/search/", {"q": "dat dai", "date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert 'value="dat dai"' in html and "error-summary" in html
    page = client.get("/documents/search/", {"handler": "khong.co.ai"})
    assert page.status_code == 422


def test_citizens_get_no_search(client: Client, office: Office) -> None:
    sign_in(client, _person("congdan.t", kind="citizen"))
    assert client.get("/documents/search/").status_code == 404
    assert client.get("/api/v1/documents/search").status_code == 404


def test_saved_searches_are_created_listed_run_and_deleted_by_their_owner(
    client: Client, office: Office
) -> None:
    clerk = office.committee.clerk
    sign_in(client, clerk)
    response = client.post("/documents/search/saved/", {"name": "Đất đai", "query": "q=dat+dai&doc_type=QD"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=clerk)
    assert "Đất đai" in client.get("/documents/search/").content.decode()
    run = client.get(f"/documents/search/saved/{saved.pk}/")
    assert run.status_code == 302 and "q=dat+dai" in run["Location"] and "doc_type=QD" in run["Location"]
    again = client.post("/documents/search/saved/", {"name": "Đất đai", "query": "q=x"})
    assert again.status_code == 422
    assert "already have a saved search" in again.content.decode() or "đã có" in again.content.decode()
    other = Client()
    sign_in(other, office.committee.head)
    assert other.get(f"/documents/search/saved/{saved.pk}/").status_code == 404
    assert other.post(f"/documents/search/saved/{saved.pk}/delete/").status_code == 404
    assert client.post(f"/documents/search/saved/{saved.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_saved_search_service_refuses_bad_names(office: Office) -> None:
    clerk = office.committee.clerk
    with pytest.raises(DocumentError) as caught:
        services.saved_search_create(name="   ", query="", by=clerk)
    assert caught.value.field == "name"
    saved = services.saved_search_create(name="A", query="q=a", by=clerk)
    with pytest.raises(ActionForbidden):
        services.saved_search_delete(saved=saved, by=office.committee.head)
    assert SavedSearch.objects.count() == 1


def test_export_lists_the_results_and_says_when_it_was_cut(office: Office, indexed) -> None:
    content, rows = search_export_xlsx(user=office.committee.leader, query=SearchQuery(q="dat dai"))
    assert rows == 1
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "123/QĐ-UBND" and "đất đai" in values[1][4]
    content, rows = search_export_xlsx(user=office.committee.leader, query=SearchQuery(), limit=1)
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert rows == 1 and len(values) == 3  # header, one row, the note that the export was cut


def test_export_page_answers_a_workbook(client: Client, office: Office, indexed) -> None:
    sign_in(client, office.committee.clerk)
    response = client.get("/documents/search/export.xlsx", {"q": "kinh te"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2


def test_api_search_pages_and_caps(client: Client, office: Office, indexed) -> None:
    a = indexed[0]
    sign_in(client, office.committee.clerk)
    body = client.get("/api/v1/documents/search", {"q": "QUYET DINH"}).json()
    assert [r["id"] for r in body["results"]] == [a.document_id]
    assert body["count"] == 1 and body["more_than_cap"] is False
    first = client.get("/api/v1/documents/search", {"limit": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    second = client.get("/api/v1/documents/search", {"limit": 1, "after": first["next"]}).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert client.get("/api/v1/documents/search", {"limit": 1000}).status_code == 422
    assert client.get("/api/v1/documents/search", {"q": "x" * 300}).status_code == 422
    bad = client.get("/api/v1/documents/search", {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 422 and "date_to" in bad.json()["error"]["fields"]


def test_api_saved_searches(client: Client, office: Office) -> None:
    sign_in(client, office.committee.clerk)
    made = client.post(
        "/api/v1/documents/search/saved",
        json.dumps({"name": "QĐ", "query": "doc_type=QD"}),
        content_type="application/json",
    )
    assert made.status_code == 201
    twice = client.post(
        "/api/v1/documents/search/saved", json.dumps({"name": "QĐ"}), content_type="application/json"
    )
    assert twice.status_code == 422 and "name" in twice.json()["error"]["fields"]
    listed = client.get("/api/v1/documents/search/saved").json()
    assert [s["name"] for s in listed] == ["QĐ"]
    assert client.delete(f"/api/v1/documents/search/saved/{made.json()['id']}").status_code == 204
    assert client.get("/api/v1/documents/search/saved").json() == []


def test_api_refuses_unknown_states(client: Client, office: Office) -> None:
    sign_in(client, office.committee.clerk)
    bad = client.get("/api/v1/documents/search", {"state": "a | zw1"})
    assert bad.status_code == 422 and "state" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/documents/search", {"state": "in_progress"}).status_code == 200


def test_the_page_says_more_than_1000_in_vietnamese(client: Client, office: Office) -> None:
    import datetime as dt

    from egov.documents.models import Document
    from egov.documents.search import COUNT_CAP, SearchRow, search_index_bulk, words_of

    unit = office.committee.unit
    docs = Document.objects.bulk_create(
        Document(doc_type="CV", subject="Thông báo", issuer_name="UBND", issuer_unit=unit, state="issued")
        for _ in range(COUNT_CAP + 1)
    )
    search_index_bulk(
        SearchRow(
            d.pk,
            dt.date(2026, 1, 1),
            "CV",
            "issued",
            False,
            "",
            "ubnd",
            words_of(["Thông báo"], [f"zw{unit.pk}"]),
        )
        for d in docs
    )
    sign_in(client, office.committee.clerk)
    client.cookies["django_language"] = "vi"
    html = client.get("/documents/search/", {"q": "thong bao"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hơn 1.000 kết quả" in html
