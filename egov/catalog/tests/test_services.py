from __future__ import annotations

import datetime as dt

import pytest

from egov.audit.models import AuditEntry, AuditEvent
from egov.catalog import selectors, services
from egov.catalog.data import ChannelData, StepData, validate
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.catalog.tests.samples import birth_registration, judicial_record
from egov.catalog.text import fold

DECISION = {"decision_number": "1234/QĐ-UBND", "decision_date": dt.date(2021, 6, 15)}


def _publish(data):  # type: ignore[no-untyped-def]
    draft = services.procedure_save_draft(data=data, by=None)
    return services.procedure_publish(version=draft, by=None, **DECISION)


def test_fold_removes_diacritics_case_and_d_stroke() -> None:
    assert fold("  Đăng ký   KHAI SINH ") == "dang ky khai sinh"
    assert fold("Điều chỉnh đất đai") == "dieu chinh dat dai"


@pytest.mark.django_db
def test_editing_a_published_procedure_makes_a_new_draft_and_keeps_the_old_version() -> None:
    v1 = _publish(birth_registration())
    draft = services.procedure_save_draft(
        data=birth_registration(name="Đăng ký khai sinh (sửa đổi)"), by=None
    )
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.PUBLISHED and v1.name == "Đăng ký khai sinh"
    services.procedure_publish(
        version=draft, by=None, decision_number="99/QĐ-UBND", decision_date=dt.date(2022, 1, 5)
    )
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    assert selectors.procedure_public_get(code="1.001193").number == 2
    assert selectors.procedure_public_get(code="1.001193", number=1).name == "Đăng ký khai sinh"
    events = list(AuditEntry.objects.filter(event__startswith="procedure.").values_list("event", flat=True))
    assert events.count(AuditEvent.PROCEDURE_PUBLISHED) == 2


@pytest.mark.django_db
def test_saving_a_draft_twice_updates_the_same_draft() -> None:
    services.procedure_save_draft(data=birth_registration(), by=None)
    services.procedure_save_draft(data=birth_registration(name="Tên mới"), by=None)
    assert ProcedureVersion.objects.count() == 1
    assert ProcedureVersion.objects.get().name == "Tên mới"


@pytest.mark.parametrize(
    ("data", "column"),
    [
        (birth_registration(channels=[ChannelData("direct", 0, "working_days")]), "time_amount"),
        (birth_registration(channels=[ChannelData("direct", -3, "working_days")]), "time_amount"),
        (
            birth_registration(channels=[ChannelData("direct", 1, "fortnights")], online_level="none"),
            "time_unit",
        ),
        (
            birth_registration(
                channels=[ChannelData("direct", 1, "working_days", "none", 5000)], online_level="none"
            ),
            "fee_amount",
        ),
        (
            birth_registration(online_level="full", channels=[ChannelData("direct", 1, "working_days")]),
            "online_level",
        ),
        (birth_registration(levels=[]), "levels"),
        (birth_registration(name=" "), "name"),
    ],
)
def test_invalid_data_is_reported_by_field(data, column) -> None:  # type: ignore[no-untyped-def]
    assert column in {p.column for p in validate(data)}


def test_step_budgets_may_not_exceed_the_legal_limit() -> None:
    data = birth_registration()
    data.process.append(StepData("commune", 5, "Thêm bước", "clerk", "committee", 1, "working_hours"))
    problems = validate(data)
    assert [p.column for p in problems] == ["budget_amount"]
    assert "9" in problems[0].message and "8" in problems[0].message


@pytest.mark.django_db
def test_refused_draft_writes_nothing() -> None:
    with pytest.raises(services.CatalogError):
        services.procedure_save_draft(data=birth_registration(levels=["hamlet"]), by=None)
    assert not ProcedureVersion.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_publishing_needs_a_process_for_every_level() -> None:
    draft = services.procedure_save_draft(data=birth_registration(levels=["commune", "district"]), by=None)
    with pytest.raises(services.CatalogError) as caught:
        services.procedure_publish(version=draft, by=None, **DECISION)
    assert "huyện" in str(caught.value)  # the level is named in words, in Vietnamese
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_withdrawal_takes_effect_from_its_date() -> None:
    version = _publish(birth_registration())
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    services.procedure_withdraw(procedure=version.procedure, on=tomorrow, reason="Bãi bỏ", by=None)
    assert [v.pk for v in selectors.procedure_search(q="khai sinh")] == [version.pk]
    assert list(selectors.versions_in_force(on=tomorrow)) == []


@pytest.mark.django_db
def test_search_ignores_diacritics_and_ranks_name_matches_first() -> None:
    _publish(birth_registration())
    _publish(judicial_record())
    _publish(
        judicial_record(
            code="2.000999", name="Cấp bản sao trích lục khai sinh", field_code="HT", levels=["province"]
        )
    )
    names = [v.name for v in selectors.procedure_search(q="dang ky khai sinh")]
    assert names == ["Đăng ký khai sinh"]
    ranked = [v.name for v in selectors.procedure_search(q="KHAI SINH")]
    assert ranked == ["Cấp bản sao trích lục khai sinh", "Đăng ký khai sinh"]
    # Names starting with the query first; "Ủy ban nhân dân cấp xã" (the agency) matches last.
    starts = [v.name for v in selectors.procedure_search(q="cap")]
    assert starts == [
        "Cấp bản sao trích lục khai sinh",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Đăng ký khai sinh",
    ]
    assert [v.procedure.code for v in selectors.procedure_search(q="2.000488")] == ["2.000488"]
    assert [v.name for v in selectors.procedure_search(level="province", online_level="partial")] == [
        "Cấp bản sao trích lục khai sinh",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    ]
    assert [v.name for v in selectors.procedure_search(field="HT", level="commune")] == ["Đăng ký khai sinh"]


@pytest.mark.django_db
def test_drafts_are_not_public() -> None:
    services.procedure_save_draft(data=birth_registration(), by=None)
    assert list(selectors.procedure_search(q="khai sinh")) == []
