"""The client's IP behind reverse proxies: one helper for the audit trail, rate limits and lockout."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from conftest import PASSWORD
from egov.audit.models import AuditEntry, AuditEvent
from egov.core.middleware import client_ip

PROXY = "10.0.0.5"


def _ip(forwarded: str | None, hops: int, remote: str = PROXY) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    with override_settings(EGOV_TRUSTED_PROXY_HOPS=hops):
        return client_ip(request)


def test_one_trusted_proxy_takes_the_address_it_appended_not_the_clients_claim() -> None:
    assert _ip("6.6.6.6, 203.0.113.7", hops=1) == "203.0.113.7"
    assert _ip("203.0.113.7", hops=1) == "203.0.113.7"


def test_two_trusted_proxies_count_from_the_right() -> None:
    # client claims 6.6.6.6; the outer proxy appends the client, the inner one the outer proxy
    assert _ip("6.6.6.6, 203.0.113.7, 10.0.0.9", hops=2) == "203.0.113.7"
    assert _ip("203.0.113.7", hops=2) == "203.0.113.7"


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _ip("6.6.6.6", hops=0) == PROXY
    assert _ip(None, hops=1) == PROXY


def test_a_malformed_entry_falls_back_to_the_peer_address() -> None:
    assert _ip("6.6.6.6, not-an-ip", hops=1) == PROXY
    assert _ip("6.6.6.6, 2001:DB8::1", hops=1) == "2001:db8::1"


@pytest.fixture
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


# One trusted proxy, said both ways (the older boolean and the hop count).
ONE_PROXY = override_settings(EGOV_TRUSTED_PROXY_HOPS=1, EGOV_TRUST_X_FORWARDED_FOR=True)


@ONE_PROXY
@pytest.mark.usefixtures("_fresh_cache")
def test_spoofed_left_entries_neither_escape_the_lookup_limit_nor_reach_the_audit(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    per_ip = settings.EGOV_PORTAL_RATE_LIMITS["lookup"][0]
    statuses = [
        client.post(
            "/api/v1/public/lookup",
            {"code": f"000.00.00.T01-250101-{i:04d}", "proof": "0912345678"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7",
        ).status_code
        for i in range(per_ip + 1)
    ]
    assert statuses == [404] * per_ip + [429]

    client.post(
        "/accounts/login/",
        {"username": "citizen", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8",
    )
    login = AuditEntry.objects.filter(event=AuditEvent.LOGIN).latest("seq")
    assert login.ip == "203.0.113.8"


@ONE_PROXY
def test_lockout_counts_the_proxy_seen_address(client: Client, personas: dict[str, Any]) -> None:
    client.post(
        "/accounts/login/",
        {"username": "officer.a1", "password": "wrong-password"},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


@pytest.mark.parametrize(
    ("env", "hops"),
    [({}, "0"), ({"EGOV_TRUST_X_FORWARDED_FOR": "1"}, "1"), ({"EGOV_TRUSTED_PROXY_HOPS": "2"}, "2")],
)
def test_the_older_switch_still_means_one_proxy(env: dict[str, str], hops: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    result = subprocess.run(
        [sys.executable, "-c", "from egov import settings; print(settings.EGOV_TRUSTED_PROXY_HOPS)"],
        env={**clean, "EGOV_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == hops
