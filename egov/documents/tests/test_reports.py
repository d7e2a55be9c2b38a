"""Handling reports and the plan's live targets on a small known dataset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from egov.documents import services, stats
from egov.documents.models import (
    Assignment,
    Direction,
    Document,
    FilePlanEntry,
    Register,
    RegisterKind,
    WorkFile,
    WorkFileItem,
)
from egov.documents.tests.conftest import Office, incoming_meta
from egov.orgs.models import UnitLevel

pytestmark = pytest.mark.django_db

NOW = timezone.now()
H = dt.timedelta(hours=1)


def _assign(entry: Any, by: Any, **values: Any) -> Assignment:
    direction = Direction.objects.create(entry=entry, by=by, text="Xử lý", at=NOW - 50 * H)
    values.setdefault("role", "lead")
    return Assignment.objects.create(
        entry=entry, direction=direction, assigned_by=by, created_at=NOW - 50 * H, **values
    )


@pytest.fixture
def handled(office: Office, registered: Any) -> dict[str, Assignment]:
    c = office.committee
    e = [registered(number=str(100 + i), notation="BNV") for i in range(6)]
    return {
        "on_time": _assign(
            e[0], c.leader, unit=c.division, due_at=NOW - 2 * H, done_at=NOW - 5 * H, state="done"
        ),
        "late": _assign(
            e[1], c.leader, person=c.specialist, due_at=NOW - 9 * H, done_at=NOW - 3 * H, state="accepted"
        ),
        "within": _assign(e[2], c.leader, unit=c.division, due_at=NOW + 48 * H, state="in_progress"),
        "overdue": _assign(e[3], c.leader, person=c.specialist, due_at=NOW - H, state="pending"),
        "cancelled": _assign(e[4], c.leader, unit=c.division, due_at=NOW - H, state="cancelled"),
        "co": _assign(e[5], c.leader, unit=c.division, due_at=NOW - H, role="co"),
    }


def test_handling_report_counts_each_bucket_per_unit_and_person(office: Office, handled: dict) -> None:
    c = office.committee
    today = timezone.localdate()
    report = stats.handling_report(agency=c.unit, start=today - dt.timedelta(days=30), end=today, now=NOW)
    assert report.total.counts == {
        "done_on_time": 1,
        "done_late": 1,
        "in_progress_within": 1,
        "in_progress_overdue": 1,
    }
    [unit] = report.units
    assert (unit.label, unit.counts["done_on_time"], unit.counts["in_progress_within"], unit.total) == (
        c.division.name,
        1,
        1,
        2,
    )
    [person] = report.people
    assert person.pk == c.specialist.pk
    assert (person.counts["done_late"], person.counts["in_progress_overdue"]) == (1, 1)
    drill = stats.handling_drill(
        agency=c.unit, start=today - dt.timedelta(days=30), end=today, bucket="in_progress_overdue", now=NOW
    )
    assert list(drill) == [handled["overdue"]]
    # A period that ended before the work was done: everything was still open then.
    early = stats.handling_report(
        agency=c.unit, start=today - dt.timedelta(days=30), end=today - dt.timedelta(days=10), now=NOW
    )
    assert early.total.total == 0  # the assignments did not exist yet
    other = stats.handling_report(
        agency=office.department.unit, start=today - dt.timedelta(days=30), end=today, now=NOW
    )
    assert other.total.total == 0


def test_report_page_links_each_figure_to_its_entries(client: Client, office: Office, handled: dict) -> None:
    sign_in(client, office.committee.leader)
    response = client.get(reverse("documents:handling_report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "bucket=in_progress_overdue&amp;person=" in body or "bucket=in_progress_overdue&person=" in body
    today = timezone.localdate()
    url = (
        reverse("documents:handling_drill")
        + f"?agency={office.committee.unit.pk}&start=01/01/{today.year}&end={today:%d/%m/%Y}&bucket=done_late"
        + f"&person={office.committee.specialist.pk}"
    )
    body = client.get(url).content.decode()
    assert "101/BNV" in body and "100/BNV" not in body
    assert (
        client.get(reverse("documents:handling_report") + "?start=31/12/2026&end=01/01/2026").status_code
        == 422
    )
    api = client.get(
        f"/api/v1/documents/registers/reports/handling?agency_id={office.committee.unit.pk}"
        f"&start={today.year}-01-01&end={today.isoformat()}"
    ).json()
    assert api["total"]["in_progress_overdue"] >= 0 and len(api["people"]) == 1


def test_electronic_share_per_level_leaves_secret_documents_out(office: Office, registered: Any) -> None:
    c = office.committee
    registered()  # paper
    services.entry_register(
        agency=c.unit,
        register=c.incoming,
        meta=incoming_meta(number="2", notation="BYT"),
        medium="electronic",
        by=c.clerk,
    )
    secret_register = Register.objects.create(
        agency=c.unit, kind=RegisterKind.INCOMING, name="Mật", code="MAT", is_secret=True
    )
    services.entry_register(
        agency=c.unit,
        register=secret_register,
        meta=incoming_meta(number="3", notation="BCA", secrecy="secret"),
        medium="electronic",
        by=c.clerk,
    )
    Document.objects.create(
        doc_type="CV",
        subject="Gửi các sở",
        issuer_name=c.unit.name,
        issuer_unit=c.unit,
        state="issued",
        issued_on=timezone.localdate(),
        medium="internal",
    )
    registered(office.commune, number="9", notation="UBND")
    today = timezone.localdate()
    shares = stats.electronic_share(root=c.unit.parent, start=today - dt.timedelta(days=5), end=today)
    assert c.unit.level == UnitLevel.PROVINCE
    assert (shares["province"].numerator, shares["province"].denominator) == (2, 3)
    assert (shares["commune"].numerator, shares["commune"].denominator) == (0, 1)
    assert (shares["all"].numerator, shares["all"].denominator) == (2, 4)
    assert shares["all"].value == 50


def test_work_files_online_over_the_file_plan(office: Office, registered: Any) -> None:
    c = office.committee
    year = timezone.localdate().year
    plan = [
        FilePlanEntry.objects.create(
            unit=c.division, year=year, code=f"0{i}", title=f"Hồ sơ {i}", retention="10"
        )
        for i in range(4)
    ]
    FilePlanEntry.objects.create(
        unit=office.commune.division, year=year, code="01", title="Hồ sơ xã", retention="10"
    )
    plain, secret = registered().document, registered(number="5", notation="BCA").document
    secret.secrecy = "secret"
    secret.save()

    def work_file(entry: FilePlanEntry, document: Document | None) -> None:
        wf = WorkFile.objects.create(
            unit=c.division,
            plan_entry=entry,
            year=year,
            code=f"WF{entry.code}",
            title=entry.title,
            retention="10",
            owner=c.specialist,
            opened_on=timezone.localdate(),
        )
        if document is not None:
            WorkFileItem.objects.create(
                work_file=wf, document=document, order=1, added_by=c.specialist, added_at=NOW
            )

    work_file(plan[0], plain)  # handled online
    work_file(plan[1], None)  # opened, still empty
    work_file(plan[2], secret)  # left out
    today = timezone.localdate()
    shares = stats.workfiles_online(root=c.unit.parent, start=dt.date(year, 1, 1), end=today)
    assert (shares["province"].numerator, shares["province"].denominator) == (1, 3)
    assert (shares["commune"].numerator, shares["commune"].denominator) == (0, 1)
    measures = stats.plan_measures(root=c.unit.parent, start=dt.date(year, 1, 1), end=today)
    assert measures["workfiles_online_province"].denominator == 3


def test_plan_kpis_show_the_electronic_share_live(office: Office, registered: Any) -> None:
    from egov.plans.measures import Status, kpi_rows
    from egov.plans.models import PlanTarget
    from egov.reports.periods import Period

    c = office.committee
    registered()
    services.entry_register(
        agency=c.unit,
        register=c.incoming,
        meta=incoming_meta(number="2", notation="BYT"),
        medium="exchange",
        by=c.clerk,
    )
    target = PlanTarget.objects.create(
        plan="KH", key="docs_electronic_share", indicator="Văn bản điện tử", target=100
    )
    today = timezone.localdate()
    [row] = kpi_rows(targets=[target], unit=c.unit.parent, period=Period(today.replace(day=1), today))
    assert (row.numerator, row.denominator, row.value, row.status) == (1, 2, 50, Status.NOT_MET)
