"""Page weight on a slow phone connection, public pages without an account, and the strict CSP."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db
BUDGET = 150 * 1024


def _weight(client: Client, url: str) -> tuple[int, int, list[str]]:
    """Uncompressed and gzip-compressed bytes of the page and of every stylesheet and script it
    links (as a browser with an empty cache fetches them)."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content
    assets = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assets += re.findall(rb'<script[^>]+src="([^"]+)"', html)
    raw, packed, names = len(html), len(gzip.compress(html, 6)), []
    for href in assets:
        path = href.decode().removeprefix(settings.STATIC_URL)
        found = finders.find(path)
        assert found, f"linked asset {path} not found"
        content = Path(str(found)).read_bytes()
        raw += len(content)
        packed += len(gzip.compress(content, 6))
        names.append(path)
    return raw, packed, names


@pytest.mark.parametrize(
    "url", ["/thu-tuc/1.001193/", "/cong-dan/", "/cong-dan/tra-cuu/", "/cong-dan/cong-khai/"]
)
def test_public_pages_weigh_less_than_150_kb_compressed(client: Client, procedure: Any, url: str) -> None:
    raw, packed, assets = _weight(client, url)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    assert packed <= BUDGET, f"{url}: {packed} bytes compressed ({raw} uncompressed)"


def test_application_step_weighs_less_than_150_kb_compressed(
    client: Client, login_as: Any, citizen: Any, procedure: Any
) -> None:
    login_as("citizen")
    step = client.get("/cong-dan/nop/1.001193/")["Location"]
    _raw, packed, _assets = _weight(client, step)
    assert packed <= BUDGET


@pytest.mark.parametrize(
    "url",
    [
        "/cong-dan/",
        "/cong-dan/dang-nhap/",
        "/cong-dan/dang-ky/",
        "/cong-dan/dang-ky/xac-nhan/",
        "/cong-dan/quen-mat-khau/",
        "/cong-dan/quen-mat-khau/dat-lai/",
        "/cong-dan/tra-cuu/",
        "/cong-dan/cong-khai/",
    ],
)
def test_public_portal_pages_need_no_account_and_have_no_inline_code(
    client: Client, province: Any, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    ["/cong-dan/ho-so/", "/cong-dan/thong-tin-ca-nhan/", "/cong-dan/phan-anh/", "/cong-dan/phan-anh/moi/"],
)
@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("officer_a1", 403), ("citizen", 200)])
def test_citizen_pages_are_for_citizens(
    client: Client, login_as: Any, url: str, persona: str, status: int
) -> None:
    login_as(persona)
    assert client.get(url).status_code == status
