"""The inbox tabs speak the language of whoever asks, not the one active when the module loaded."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.test import Client


def test_inbox_tab_labels_follow_the_request_language(client: Client, login_as: Callable[[str], Any]) -> None:
    login_as("officer_a1")
    assert "Hồ sơ cần xử lý" in client.get("/dossiers/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/dossiers/").content.decode()
    assert "My inbox" in page and "Hồ sơ cần xử lý" not in page
