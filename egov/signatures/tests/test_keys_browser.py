"""The keys pages in a real browser: on a 360 px phone nothing is wider than the screen (the
keys table scrolls inside its frame) and no console error (CSP) appears; at 1366 px the same."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import _person, sign_in
from egov.accounts.models import Role
from egov.orgs.models import Unit
from egov.signatures.models import KeyBackend, SigningKey
from egov.signatures.services_keys import signature_image_set
from egov.signatures.tests.test_keys_pages import BLUE, png
from tests.browser.conftest import browser, browser_available, page  # noqa: F401  (fixtures)

WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""

pytestmark = [pytest.mark.browser, browser_available]


@pytest.mark.django_db(transaction=True)
def test_keys_pages_fit_a_phone_and_a_laptop(
    audit_flushable: None,
    live_server: Any,
    page: Any,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    from django.utils import timezone

    agency = Unit.objects.create(name="Ủy ban nhân dân tỉnh Thử Nghiệm", kind="committee", level="province")
    agency.path = f"/{agency.pk}/"
    agency.save(update_fields=["path"])
    admin = _person("quantri.trinhduyet", roles=[(agency, Role.UNIT_ADMIN)])
    signature_image_set(user=admin, data=png(BLUE), by=admin)
    for backend in KeyBackend:
        SigningKey.objects.create(
            unit=agency,
            label=f"Khóa ký số của Ủy ban nhân dân tỉnh ({backend})",
            backend=backend,
            subject="Common Name: Ủy ban nhân dân tỉnh Thử Nghiệm, Organization: UBND tỉnh Thử Nghiệm, Country: VN",
            not_after=timezone.now() + timezone.timedelta(days=20),
        )
    client = Client()
    sign_in(client, admin)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    shots = Path(os.environ.get("EGOV_SCREENSHOT_DIR") or tmp_path)
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/signatures/mine/", f"/signatures/agencies/{agency.pk}/keys/"):
            page.goto(f"{live_server.url}{path}")
            page.screenshot(
                path=str(shots / f"{width}-{path.strip('/').replace('/', '_')}.png"), full_page=True
            )
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                print(page.evaluate(WIDEST))
            assert scroll <= width, (path, scroll)
    assert not page.console_errors
