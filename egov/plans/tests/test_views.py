"""The KPI and 766 pages: who may see them, what they show, and how many queries they cost."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from egov.plans.services import load_plan_data

KPIS, INDEX = "/plans/kpis/", "/plans/index-766/"


@pytest.fixture
def loaded(province: Any) -> None:
    load_plan_data(by=None)


@pytest.fixture
def some_dossiers(receive: Any) -> None:
    at = timezone.now() - dt.timedelta(days=2)
    for i in range(3):
        receive(received_at=at + dt.timedelta(hours=i))


@pytest.mark.parametrize("url", [KPIS, INDEX])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("citizen", 403), ("officer_b1", 200), ("unit_admin_a", 200), ("system_admin", 200)],
)
def test_access(
    client: Client, loaded: None, login_as: Callable[[str], Any], url: str, persona: str, status: int
) -> None:
    login_as(persona)
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", [KPIS, INDEX])
def test_another_districts_unit_is_not_offered(
    client: Client, loaded: None, province: Any, login_as: Callable[[str], Any], url: str
) -> None:
    login_as("unit_admin_a")
    page = client.get(url).content.decode()
    assert province.district_b.name not in page
    assert client.get(url, {"unit": province.commune_b1.pk}).status_code == 404
    bad = client.get(url, {"unit": province.district_a.pk, "start": "10/10/2026", "end": "01/10/2026"})
    assert bad.status_code == 422


def test_kpi_page_lists_every_target_with_its_status(
    client: Client, loaded: None, some_dossiers: None, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    response = client.get(KPIS)
    page = response.content.decode()
    assert len(re.findall(r'<tr data-key="', page)) == 13
    assert 'data-key="services_level4_share" data-status="met"' in page
    assert 'data-key="dossiers_online_share" data-status="not_met"' in page  # 0 of 3 online
    assert 'data-key="docs_electronic_share" data-status="no_data"' in page  # measured by documents
    assert 'data-key="satisfaction" data-status="not_measured"' in page
    assert 'data-key="on_time_rate" data-status="no_data"' in page  # nothing resolved yet
    assert "195/KH-UBND 2021" in page and not re.search(r"\sstyle=", page)


def test_index_page_shows_groups_total_rating_and_child_units(
    client: Client,
    loaded: None,
    some_dossiers: None,
    province: Any,
    login_as: Callable[[str], Any],
    django_assert_max_num_queries: Any,
) -> None:
    login_as("system_admin")
    with django_assert_max_num_queries(20):
        response = client.get(INDEX)
    score = response.context["score"]
    page = response.content.decode()
    assert score.unit == province.province and score.maximum == 100
    assert f'data-total="{score.total}"' in page and f'data-rating="{score.rating}"' in page
    assert page.count("data-group=") == 6 and page.count("data-indicator=") == 12
    children = {child.unit.pk for child, _offered in response.context["children"]}
    assert {province.district_a.pk, province.district_b.pk} <= children
    assert f'data-unit="{province.district_a.pk}"' in page
    assert '<div class="alert alert-warning" role="note">' in page  # the thresholds are unconfirmed
