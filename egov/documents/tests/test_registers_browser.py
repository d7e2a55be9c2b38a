"""The registers pages in a real browser: on a 360 px phone nothing is wider than the screen
(tables scroll inside their frame) and no console error (CSP) appears; at 1366 px the same."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import _person, sign_in
from egov.accounts.models import Role
from egov.documents.tests.conftest import Office
from tests.browser.conftest import browser, browser_available, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, browser_available]


def _signed_in(page: Any, live_server: Any, user: Any) -> None:  # noqa: F811
    client = Client()
    sign_in(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.django_db(transaction=True)
def test_registers_pages_fit_a_phone_and_a_laptop(
    audit_flushable: None,
    live_server: Any,
    page: Any,  # noqa: F811  (the fixture imported above)
    office: Office,
    registered: Any,
    tmp_path: Path,
) -> None:
    c = office.committee
    registered()
    admin = office.admin
    for role in (Role.CLERK, Role.AGENCY_LEADER, Role.AUDITOR):
        from egov.accounts import services as accounts

        accounts.role_grant(user=admin, unit=c.unit, role=role, by=None)
    _person("extra.viewer")
    _signed_in(page, live_server, admin)
    shots = Path(os.environ.get("EGOV_SCREENSHOT_DIR") or tmp_path)
    paths = [
        "/documents/registers/",
        f"/documents/registers/{c.incoming.pk}/",
        f"/documents/registers/{c.incoming.pk}/edit/",
        f"/documents/settings/{c.unit.pk}/",
        "/documents/reports/",
        "/documents/access-log/",
        f"/documents/registers/{c.incoming.pk}/print/?start=99/99/2026",
    ]
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            name = path.strip("/").replace("/", "_").split("?")[0]
            page.screenshot(path=str(shots / f"{width}-{name}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, scroll)
    assert not page.console_errors
