"""Ratings of finished dossiers, feedback and its answers, and the transparency page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from egov.audit.models import AuditEntry
from egov.dossiers import services as dossiers
from egov.dossiers.models import Dossier
from egov.notifications.models import Notification
from egov.portal import selectors, services
from egov.portal.models import Feedback, Rating
from egov.portal.tests.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(online_dossier: Any, personas: dict[str, Any], commune_staff: dict[str, Any]) -> Any:
    dossier = online_dossier()
    dossiers.dossier_accept(dossier=dossier, by=personas["officer_a1"])
    dossiers.step_forward(dossier=dossier, by=commune_staff["specialist"])
    return dossiers.dossier_decide(
        dossier=dossier, outcome="approved", reason="", by=commune_staff["agency_leader"], result_file=pdf()
    )


def test_a_finished_dossier_is_rated_once(client: Client, login_as: Any, finished: Any) -> None:
    login_as("citizen")
    assert 'action="/cong-dan/ho-so/' in client.get(f"/cong-dan/ho-so/{finished.pk}/").content.decode()
    response = client.post(
        f"/cong-dan/ho-so/{finished.pk}/danh-gia/", {"score": "very_satisfied", "comment": "Nhanh, gọn"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.score == "very_satisfied" and rating.comment == "Nhanh, gọn"
    assert AuditEntry.objects.filter(event="portal.dossier_rated").count() == 1
    client.post(f"/cong-dan/ho-so/{finished.pk}/danh-gia/", {"score": "not_satisfied"})
    assert Rating.objects.get().score == "very_satisfied"
    page = client.get(f"/cong-dan/ho-so/{finished.pk}/").content.decode()
    assert 'id="my-rating"' in page and f'action="/cong-dan/ho-so/{finished.pk}/danh-gia/"' not in page


def test_an_unfinished_dossier_cannot_be_rated(client: Client, login_as: Any, online_dossier: Any) -> None:
    dossier = online_dossier()
    login_as("citizen")
    client.post(f"/cong-dan/ho-so/{dossier.pk}/danh-gia/", {"score": "satisfied"})
    assert Rating.objects.count() == 0
    with pytest.raises(services.PortalError):
        services.rating_submit(dossier=dossier, by=dossier.applicant_user, score="satisfied")


def test_a_rating_needs_a_choice(client: Client, login_as: Any, finished: Any) -> None:
    login_as("citizen")
    response = client.post(f"/cong-dan/ho-so/{finished.pk}/danh-gia/", {"comment": "Chưa chọn"})
    assert response.status_code == 422 and "Chưa chọn" in response.content.decode()
    assert Rating.objects.count() == 0


def test_feedback_about_a_dossier_is_answered_by_staff_who_see_it(
    client: Client, login_as: Any, personas: dict[str, Any], finished: Any
) -> None:
    login_as("citizen")
    response = client.post(
        "/cong-dan/phan-anh/moi/",
        {
            "kind": "feedback",
            "about": "officer",
            "dossier": finished.pk,
            "officer_name": "Quầy số 2",
            "subject": "Hướng dẫn chưa rõ",
            "body": "Cán bộ không hướng dẫn rõ giấy tờ cần bổ sung.",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.dossier == finished and item.procedure == finished.procedure_version.procedure

    sign_in(client, personas["officer_b1"])
    assert client.get(f"/cong-dan/xu-ly-phan-anh/{item.pk}/").status_code == 404
    assert "Hướng dẫn chưa rõ" not in client.get("/cong-dan/xu-ly-phan-anh/").content.decode()

    sign_in(client, personas["officer_a1"])
    assert "Hướng dẫn chưa rõ" in client.get("/cong-dan/xu-ly-phan-anh/").content.decode()
    assert client.post(f"/cong-dan/xu-ly-phan-anh/{item.pk}/", {"answer": ""}).status_code == 422
    response = client.post(f"/cong-dan/xu-ly-phan-anh/{item.pk}/", {"answer": "Xin lỗi, đã nhắc nhở cán bộ."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answered_by == personas["officer_a1"] and item.answered_at is not None
    assert Notification.objects.filter(kind="portal.feedback_answered").exists()
    assert AuditEntry.objects.filter(event="portal.feedback_answered").exists()

    sign_in(client, personas["citizen"])
    page = client.get(f"/cong-dan/phan-anh/{item.pk}/").content.decode()
    assert "Xin lỗi, đã nhắc nhở cán bộ." in page


def test_feedback_about_a_procedure_goes_to_system_administrators(
    client: Client, login_as: Any, personas: dict[str, Any], procedure: Any
) -> None:
    login_as("citizen")
    page = client.get("/cong-dan/phan-anh/moi/?procedure=1.001193").content.decode()
    assert 'value="1.001193"' in page
    response = client.post(
        "/cong-dan/phan-anh/moi/",
        {
            "kind": "recommendation",
            "about": "procedure",
            "procedure": "1.001193",
            "subject": "Bỏ bản sao",
            "body": "…",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    sign_in(client, personas["officer_a1"])
    assert client.get(f"/cong-dan/xu-ly-phan-anh/{item.pk}/").status_code == 404
    sign_in(client, personas["system_admin"])
    assert client.get(f"/cong-dan/xu-ly-phan-anh/{item.pk}/").status_code == 200


def test_feedback_input_is_checked_and_kept(
    client: Client, login_as: Any, other_citizen: Any, finished: Any, procedure: Any
) -> None:
    login_as("citizen")
    response = client.post(
        "/cong-dan/phan-anh/moi/",
        {
            "kind": "feedback",
            "about": "procedure",
            "procedure": "9.999999",
            "subject": "Chủ đề",
            "body": "Nội dung",
        },
    )
    assert response.status_code == 422 and 'value="Chủ đề"' in response.content.decode()
    sign_in(client, other_citizen)
    response = client.post(
        "/cong-dan/phan-anh/moi/",
        {"kind": "feedback", "about": "dossier", "dossier": finished.pk, "subject": "S", "body": "B"},
    )
    assert response.status_code == 422  # not one of their dossiers: not even offered
    assert Feedback.objects.count() == 0


def test_citizens_cannot_open_the_staff_feedback_pages(
    client: Client, login_as: Any, personas: dict[str, Any]
) -> None:
    login_as("citizen")
    assert client.get("/cong-dan/xu-ly-phan-anh/").status_code == 403


# ---------------------------------------------------------------- transparency


def test_transparency_counts_per_agency_and_month(
    client: Client, personas: dict[str, Any], finished: Any, online_dossier: Any, receive: Any, province: Any
) -> None:
    Rating.objects.create(dossier=finished, user=finished.applicant_user, score="satisfied")
    late = receive()
    Dossier.objects.filter(pk=late.pk).update(resolved_at=timezone.now(), timeliness="late", state="resolved")
    receive(unit=province.one_stop_b1, by=personas["officer_b1"])
    online_dossier()  # registered, not yet received: not counted
    rows = {r.agency_name: r for r in selectors.transparency_month(month=timezone.localdate())}
    a1, b1 = rows["Ủy ban nhân dân xã A1"], rows["Ủy ban nhân dân xã B1"]
    assert (a1.received, a1.on_time, a1.late, a1.ratings, a1.satisfaction_percent) == (2, 1, 1, 1, 100)
    assert (b1.received, b1.resolved, b1.satisfaction_percent) == (1, 0, None)

    response = client.get("/cong-dan/cong-khai/")
    assert response.status_code == 200
    html = response.content.decode()
    row = '<th scope="row" class="fw-normal">Ủy ban nhân dân xã A1</th>'
    assert row in html and "100%" in html
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert row not in client.get(f"/cong-dan/cong-khai/?month={last_month}").content.decode()
    committee = finished.receiving_unit.parent
    history = client.get(f"/cong-dan/cong-khai/?agency={committee.pk}")
    assert history.status_code == 200 and history.content.decode().count("<tr>") >= 12


def test_an_auditor_reads_feedback_but_never_answers_for_the_agency(
    personas: dict[str, Any], finished: Any, province: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    from conftest import _person
    from egov.accounts.models import Role

    auditor = _person("kiemtra", roles=[(province.province, Role.AUDITOR)])
    item = services.feedback_send(
        by=finished.applicant_user,
        kind="feedback",
        about="dossier",
        subject="Chậm",
        body="…",
        dossier=finished,
    )
    assert selectors.feedback_get_for_staff(user=auditor, pk=item.pk) == item
    with pytest.raises(PermissionDenied):
        services.feedback_answer(feedback=item, answer="Đã xem.", by=auditor)
    item.refresh_from_db()
    assert (
        item.answered_at is None and not AuditEntry.objects.filter(event="portal.feedback_answered").exists()
    )
