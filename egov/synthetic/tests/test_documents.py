"""The synthetic document generator: counts, numbers without gaps, what clerks see, determinism."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from conftest import Province
from egov.accounts.models import Role, RoleAssignment
from egov.audit.models import AuditEntry, AuditEvent
from egov.documents.models import (
    Assignment,
    AssignmentState,
    Document,
    DocumentFile,
    DraftState,
    Entry,
    EntryState,
    Recipient,
    RegisterCounter,
    Secrecy,
    WorkFile,
    WorkFileItem,
)
from egov.documents.permissions import entries_visible_to
from egov.orgs import services as org_services
from egov.orgs.models import Unit, UnitKind, UnitLevel
from egov.synthetic.documents import DocumentsRefused, generate_documents, sample_pdf

END = dt.datetime(2026, 11, 2, 8, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _agencies(province: Province) -> list[Unit]:
    committee = Unit.objects.get(parent=province.province, kind=UnitKind.PEOPLES_COMMITTEE)
    if not Unit.objects.filter(kind=UnitKind.DEPARTMENT).exists():
        org_services.unit_create(
            name="Sở Y tế", kind=UnitKind.DEPARTMENT, level=UnitLevel.PROVINCE, parent=committee, by=None
        )
    return list(
        Unit.objects.filter(kind__in=[UnitKind.PEOPLES_COMMITTEE, UnitKind.DEPARTMENT]).order_by("path")
    )


def _generate(province: Province, n: int, **kwargs: Any) -> int:
    return generate_documents(documents=n, seed=7, end=END, years=1, agencies=_agencies(province), **kwargs)


def _signature() -> list[tuple[Any, ...]]:
    documents = Document.objects.order_by("created_at", "subject", "number").values_list(
        "doc_type", "number", "notation", "subject", "issuer_name", "issued_on", "state"
    )
    entries = Entry.objects.order_by("arrived_at", "arrival_number").values_list(
        "agency__name", "arrival_number", "arrived_at", "state", "due_at", "done_at"
    )
    return [*documents, *entries]


@pytest.mark.django_db
def test_counts_states_and_consecutive_numbers(province: Province) -> None:
    from egov.documents.models import SearchEntry

    assert _generate(province, 600) == 600
    assert Document.objects.count() == 600
    # Every generated document is in the search index.
    assert SearchEntry.objects.count() == 600
    assert set(Document.objects.values_list("state", flat=True)) >= {DraftState.ISSUED, DraftState.IN_REVIEW}
    states = set(Entry.objects.values_list("state", flat=True))
    assert states >= {EntryState.DONE, EntryState.IN_PROGRESS, EntryState.FILED}
    lead = Assignment.objects.filter(role="lead")
    assert lead.filter(state=AssignmentState.DONE, done_at__lte=models_f("due_at")).exists()  # on time
    assert lead.filter(state=AssignmentState.DONE, done_at__gt=models_f("due_at")).exists()  # late
    assert lead.filter(state__in=["pending", "in_progress"], overdue_at__isnull=False).exists()  # overdue
    # Arrival numbers: 1..n per register and year, no gap, no duplicate; the counter continues.
    numbers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for register, year, n in Entry.objects.exclude(arrival_number=None).values_list(
        "register_id", "year", "arrival_number"
    ):
        numbers[(register, year)].append(n)
    for register, year, n in Document.objects.exclude(register=None).values_list(
        "register_id", "register_year", "sequence"
    ):
        numbers[(register, year)].append(n)
    counters = {(c.register_id, c.year): c.last for c in RegisterCounter.objects.all()}
    assert numbers and counters.keys() == numbers.keys()
    for key, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1)), key
        assert counters[key] == len(got)
    # Issued documents are delivered as entries of the recipient agencies (the same document).
    internal = Recipient.objects.exclude(unit=None)
    assert internal.exists()
    assert not internal.filter(entry=None).exists()
    assert all(r.entry.document_id == r.document_id and r.entry.agency_id == r.unit_id for r in internal[:50])
    assert Document.objects.filter(
        state="issued", issuer_unit__isnull=False, notation__contains="QĐ-UBND"
    ).exists()
    assert WorkFile.objects.exists() and WorkFileItem.objects.exists()
    assert DocumentFile.objects.exclude(text="").count() == DocumentFile.objects.count() >= 600
    run = AuditEntry.objects.get(event=AuditEvent.DOCUMENTS_GENERATED)
    assert run.after["documents"] == 600


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


@pytest.mark.django_db
def test_a_second_run_continues_the_numbers(province: Province) -> None:
    _generate(province, 200)
    _generate(province, 200)
    assert Document.objects.count() == 400
    per = (
        Entry.objects.exclude(arrival_number=None)
        .values("register_id", "year")
        .annotate(n=Count("pk"), top=Max("arrival_number"))
    )
    assert all(row["n"] == row["top"] for row in per)


@pytest.mark.django_db
def test_entries_are_visible_to_their_agency_clerk(province: Province) -> None:
    _generate(province, 300)
    for clerk_role in RoleAssignment.objects.filter(role=Role.CLERK).select_related("user", "unit"):
        agency = clerk_role.unit
        own = Entry.objects.filter(agency=agency, document__secrecy=Secrecy.NONE)
        visible = entries_visible_to(clerk_role.user)
        assert own.exists(), agency
        assert set(own.values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))


@pytest.mark.django_db
def test_same_seed_same_documents(province: Province) -> None:
    with transaction.atomic():
        _generate(province, 150)
        first = _signature()
        transaction.set_rollback(True)
    assert not Document.objects.exists()
    _generate(province, 150)
    assert _signature() == first


@pytest.mark.django_db
def test_refuses_a_database_with_real_documents(province: Province) -> None:
    Document.objects.create(doc_type="CV", subject="Thật", issuer_name="Bộ Nội vụ", state="issued")
    with pytest.raises(DocumentsRefused):
        _generate(province, 10)
    assert Document.objects.count() == 1


def test_the_sample_file_is_a_real_pdf() -> None:
    content = sample_pdf()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    offset = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[offset:].startswith(b"xref")
    assert timezone.is_aware(END)
