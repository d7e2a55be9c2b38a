"""Search: folding, both engines, scope (never outside documents_visible_to), filters, counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from conftest import _person
from egov.accounts.models import Role
from egov.documents import services
from egov.documents.models import (
    AccessGrant,
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DraftState,
    Register,
    RegisterKind,
    Review,
    SearchEntry,
)
from egov.documents.permissions import documents_visible_to
from egov.documents.search import (
    COUNT_CAP,
    SearchQuery,
    SearchRow,
    fold,
    search_documents,
    search_index_bulk,
    search_reindex,
    words,
    words_of,
)
from egov.documents.search.backends import backend
from egov.documents.search.hooks import document_changed
from egov.documents.search.query import plan_for
from egov.documents.tests.conftest import Office, incoming_meta

pytestmark = pytest.mark.django_db


def ids(user: Any, **query: Any) -> set[int]:
    page = search_documents(user=user, query=SearchQuery(**query), limit=100)
    return {d.pk for d in page.documents}


def test_folding_is_diacritics_and_case_insensitive() -> None:
    assert fold("Quyết định về ĐẤT ĐAI") == "quyet dinh ve dat dai"
    assert words("Số 123/QĐ-UBND, ngày 01/12") == ["so", "123", "qd", "ubnd", "ngay", "01", "12"]
    # Decomposed input (NFD from a Mac keyboard) folds the same.
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Đường thủy")) == "duong thuy"


def test_unaccented_words_find_the_document(office: Office, registered) -> None:
    entry = registered(subject="Quyết định giao đất đai cho hộ gia đình", doc_type="QD")
    other = registered(subject="Báo cáo tình hình kinh tế", number="9", notation="BC-UBND")
    search_reindex()
    leader = office.committee.leader
    assert ids(leader, q="quyet dinh dat dai") == {entry.document_id}
    assert ids(leader, q="QUYẾT ĐỊNH") == {entry.document_id}
    assert ids(leader, q="kinh te") == {other.document_id}
    assert ids(leader, q="dat dai kinh te") == set()


def test_number_and_notation_look_up(office: Office, registered) -> None:
    a = registered(number="123", notation="QĐ-UBND", doc_type="QD")
    registered(number="1234", notation="UBND-VP", subject="Công văn khác")
    search_reindex()
    user = office.committee.clerk
    assert ids(user, q="123/QĐ") == {a.document_id}
    assert ids(user, q="123/qd-ubnd") == {a.document_id}
    assert SearchEntry.objects.get(document_id=a.document_id).notation_key == "123/qd-ubnd"


def test_filters_and_newest_first(office: Office, registered) -> None:
    today = timezone.localdate()
    old = registered(number="1", issued_on=today - dt.timedelta(days=40), doc_type="QD")
    new = registered(number="2", issued_on=today - dt.timedelta(days=1), doc_type="CV")
    mid = registered(number="3", issued_on=today - dt.timedelta(days=10), issuer_name="Sở Tài chính")
    search_reindex()
    clerk = office.committee.clerk
    page = search_documents(user=clerk, query=SearchQuery())
    assert [d.pk for d in page.documents] == [new.document_id, mid.document_id, old.document_id]
    assert ids(clerk, doc_type="QD") == {old.document_id}
    assert ids(clerk, issuer="so tai chinh") == {mid.document_id}
    assert ids(clerk, date_from=today - dt.timedelta(days=15)) == {new.document_id, mid.document_id}
    assert ids(clerk, date_to=today - dt.timedelta(days=15)) == {old.document_id}
    assert ids(clerk, register_id=office.committee.incoming.pk) == {
        old.document_id,
        new.document_id,
        mid.document_id,
    }
    assert ids(clerk, register_id=office.department.incoming.pk) == set()
    assert ids(clerk, state="registered") == {old.document_id, new.document_id, mid.document_id}
    assert ids(clerk, state="done") == set()
    assert ids(clerk, year=(today - dt.timedelta(days=40)).year) >= {old.document_id}


def test_keyset_pages_cover_everything_once(office: Office, registered) -> None:
    made = {registered(number=str(n), subject=f"Văn bản số {n}").document_id for n in range(1, 8)}
    search_reindex()
    seen: list[int] = []
    cursor = ""
    while True:
        page = search_documents(user=office.committee.clerk, query=SearchQuery(), limit=3, cursor=cursor)
        seen += [d.pk for d in page.documents]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


def test_counts_stop_at_the_cap(office: Office) -> None:
    unit = office.committee.unit
    docs = Document.objects.bulk_create(
        Document(
            doc_type="CV", subject=f"Thông báo {n}", issuer_name="UBND", issuer_unit=unit, state="issued"
        )
        for n in range(COUNT_CAP + 5)
    )
    rows = (
        SearchRow(
            document_id=d.pk,
            dated=dt.date(2026, 1, 1),
            doc_type="CV",
            state="issued",
            secret=False,
            notation_key="",
            issuer_key="ubnd",
            words=words_of([d.subject], [f"zw{unit.pk}"]),
        )
        for d in docs
    )
    assert search_index_bulk(rows) == COUNT_CAP + 5
    page = search_documents(user=office.committee.clerk, query=SearchQuery(q="thong bao"))
    assert page.more_than_cap and page.count == COUNT_CAP + 1
    assert len(page.documents) == 20


def _world(office: Office, registered) -> dict[str, Any]:
    """Documents each reached by one visibility rule: agency-wide, secret, assigned, reviewed,
    granted, drafted, another agency's."""
    c, d = office.committee, office.department

    def secret_entry(agency: Any, subject: str, number: str) -> Any:
        register, _ = Register.objects.get_or_create(
            agency=agency.unit,
            code="MAT",
            defaults={"kind": RegisterKind.INCOMING, "name": "Sổ mật", "is_secret": True},
        )
        meta = incoming_meta(subject=subject, number=number, secrecy="secret")
        return services.entry_register(
            agency=agency.unit, register=register, meta=meta, medium="paper", by=agency.clerk
        )

    plain = registered(subject="Kế hoạch đất đai thường")
    secret = secret_entry(c, "Kế hoạch đất đai mật", "5")
    theirs = registered(d, subject="Kế hoạch đất đai của Sở", number="6")
    assigned = secret_entry(d, "Kế hoạch đất đai giao xử lý", "7")
    now = timezone.now()
    direction = Direction.objects.create(entry=assigned, by=d.leader, at=now)
    Assignment.objects.create(
        entry=assigned,
        direction=direction,
        role=AssignmentRole.LEAD,
        person=c.specialist,
        assigned_by=d.leader,
        created_at=now,
    )
    draft = Document.objects.create(
        doc_type="TTr",
        subject="Tờ trình đất đai (dự thảo)",
        issuer_name="Sở Y tế",
        issuer_unit=d.unit,
        drafting_unit=d.division,
        drafted_by=d.specialist,
        state=DraftState.IN_REVIEW,
    )
    Review.objects.create(document=draft, order=1, role="head_of_division", unit=d.division)
    granted = secret_entry(d, "Kế hoạch đất đai được cấp quyền", "8")
    AccessGrant.objects.create(document=granted.document, person=c.head, granted_by=d.leader, granted_at=now)
    search_reindex()
    return {
        "plain": plain,
        "secret": secret,
        "theirs": theirs,
        "assigned": assigned,
        "draft": draft,
        "granted": granted,
    }


def test_search_sees_exactly_what_the_user_may_see(office: Office, registered) -> None:
    _world(office, registered)
    c, d = office.committee, office.department
    auditor = _person("kiemtra.s", roles=[(c.unit, Role.AUDITOR)])
    people = [
        c.clerk,
        c.leader,
        c.head,
        c.specialist,
        d.clerk,
        d.leader,
        d.head,
        d.specialist,
        office.outsider,
        office.admin,
        auditor,
    ]
    for user in people:
        visible = set(documents_visible_to(user).values_list("pk", flat=True))
        assert ids(user) == visible, user.username
        # The index's own scope (before each page is confirmed) is neither wider nor narrower.
        raw = {pk for pk, _ in backend().ids(plan_for(SearchQuery(), user), 1000)}
        assert raw == visible, user.username
        assert ids(user, q="dat dai") == visible - {
            pk for pk in visible if "đất đai" not in Document.objects.get(pk=pk).subject.lower()
        }, user.username


def test_secret_documents_stay_out_of_reach(office: Office, registered) -> None:
    w = _world(office, registered)
    c, d = office.committee, office.department
    secret = w["secret"].document_id
    assert secret in ids(c.leader, q="mat")
    assert secret not in ids(c.clerk, q="mat") | ids(c.head, q="mat") | ids(d.leader, q="mat")
    assert w["assigned"].document_id in ids(c.specialist, q="giao xu ly")
    assert w["granted"].document_id in ids(c.head, q="cap quyen")
    assert w["granted"].document_id not in ids(c.specialist, q="cap quyen")
    assert ids(office.outsider, q="dat dai") == set()


def test_a_stale_index_row_never_shows_a_revoked_document(office: Office, registered) -> None:
    w = _world(office, registered)
    head = office.committee.head
    assert w["granted"].document_id in ids(head)
    AccessGrant.objects.update(revoked_at=timezone.now())  # not reindexed yet
    assert w["granted"].document_id not in ids(head)
    search_reindex(ids=[w["granted"].document_id])
    assert w["granted"].document_id not in ids(head)


def test_the_hook_reindexes_after_commit(
    office: Office, registered, django_capture_on_commit_callbacks
) -> None:
    entry = registered(subject="Quyết định về rừng phòng hộ")
    assert ids(office.committee.clerk, q="rung phong ho") == set()
    with django_capture_on_commit_callbacks(execute=True):
        document_changed(entry.document_id)
    assert ids(office.committee.clerk, q="rung phong ho") == {entry.document_id}


def test_reindex_drops_rows_of_missing_documents(office: Office, registered) -> None:
    entry = registered()
    search_reindex()
    assert search_reindex(ids=[entry.document_id, 987654]) == 1
    assert SearchEntry.objects.count() == 1


def test_anonymous_and_citizens_find_nothing(office: Office, registered) -> None:
    from django.contrib.auth.models import AnonymousUser

    registered()
    search_reindex()
    assert ids(AnonymousUser()) == set()
    assert ids(_person("congdan.s", kind="citizen")) == set()


@pytest.mark.postgresql
def test_postgresql_uses_the_tsvector_and_trigram_indexes(office: Office, registered) -> None:
    registered(number="123", notation="QĐ-UBND")
    search_reindex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsv::text FROM documents_searchentry")
        tsv = cursor.fetchone()[0]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'documents_searchentry'")
        indexes = {r[0] for r in cursor.fetchall()}
    assert "'qd'" in tsv and "'ubnd'" in tsv
    assert {"documents_search_tsv_idx", "documents_search_notation_trgm"} <= indexes


def test_the_reindex_command_rebuilds_the_index(office: Office, registered) -> None:
    from io import StringIO

    from django.core.management import call_command

    entry = registered(subject="Kế hoạch phòng chống thiên tai")
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert "1 document(s) indexed" in out.getvalue()
    assert ids(office.committee.clerk, q="thien tai") == {entry.document_id}
    call_command("search", "reindex", "--ids", str(entry.document_id), stdout=out)


def test_nothing_typed_can_widen_the_scope(office: Office, registered) -> None:
    mine = registered(subject="Kế hoạch năm")
    theirs = registered(office.commune, subject="Kế hoạch năm của xã")
    search_reindex()
    clerk = office.committee.clerk
    for state in ["a | zw1", "registered) | (ke", "x & !zu1", "fs&"]:
        plan = plan_for(SearchQuery(q="ke hoach", state=state), clerk)
        raw = {pk for pk, _ in backend().ids(plan, 100)}
        assert theirs.document_id not in raw
        assert backend().count(plan, 100) == len(raw) == 1, state
    # Typed words are only ever more words that must all occur: never an OR around the scope.
    assert theirs.document_id not in ids(clerk, q=f"ke hoach | zw{office.commune.unit.pk}")
    assert ids(clerk, q="ke hoach") == {mine.document_id}
