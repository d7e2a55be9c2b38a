"""The back-office menu shows what the person's roles open, nothing that leads to an empty page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "sees_dossiers"),
    [("officer_a1", True), ("system_admin", True), ("unit_admin_a", False)],
)
def test_the_dossier_links_follow_dossier_visibility(
    client: Client, login_as: Callable[[str], Any], persona: str, sees_dossiers: bool
) -> None:
    login_as(persona)
    page = client.get("/").content.decode()
    assert ('href="/dossiers/"' in page) is sees_dossiers
    assert ('href="/cong-dan/xu-ly-phan-anh/"' in page) is sees_dossiers
