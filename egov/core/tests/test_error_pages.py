"""The 404, 403, CSRF-failure and 500 pages: Vietnamese, branded, usable on a phone (issue #13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template import loader
from django.test import Client, RequestFactory
from django.views.defaults import server_error

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def _assert_branded(page: str) -> None:
    assert VIEWPORT in page
    assert 'lang="vi"' in page
    assert "egov.css" in page
    assert "Tra cứu hồ sơ" in page  # a way out, in Vietnamese


@pytest.mark.django_db
def test_404_is_vietnamese_and_helpful(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    _assert_branded(page)
    assert "Không tìm thấy trang" in page
    assert "Not Found" not in page


def test_403_is_vietnamese(client: Client, login_as: Callable[[str], Any]) -> None:
    login_as("citizen")
    response = client.get("/reports/dashboard/")
    assert response.status_code == 403
    page = response.content.decode()
    _assert_branded(page)
    assert "Bạn không được mở trang này" in page


@pytest.mark.django_db
def test_csrf_failure_is_vietnamese() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    _assert_branded(page)
    assert "Biểu mẫu đã hết hạn" in page
    assert "CSRF verification failed" not in page


def test_500_renders_without_context_processors_or_database() -> None:
    """No db fixture: any database access would fail the test."""
    page = loader.get_template("500.html").render()
    _assert_branded(page)
    assert "Hệ thống gặp sự cố" in page
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()
