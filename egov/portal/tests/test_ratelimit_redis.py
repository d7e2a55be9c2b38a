"""Several web processes share rate-limit counts through Redis (EGOV_CACHE_URL)."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from egov.portal.ratelimit import rate_limit_keys, rate_limited

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
}


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
@override_settings(CACHES=REDIS, EGOV_PORTAL_RATE_LIMITS={"lookup": (100, 3, 600)})
def test_lookup_limit_counts_in_redis() -> None:
    caches.close_all()
    request = RequestFactory().post("/cong-dan/tra-cuu/", REMOTE_ADDR="10.9.8.7")
    code = f"TEST-{uuid.uuid4().hex}"
    assert [rate_limited(request, "lookup", code) for _ in range(4)] == [False, False, False, True]
    # A second "process" (a fresh cache connection) sees the same count.
    caches.close_all()
    assert rate_limited(request, "lookup", code) is True
    # The counters expire with their window, and Django's cache API reads what was counted.
    cache = caches["default"]
    ip_key, code_key = rate_limit_keys(request, "lookup", code)
    assert cache.get(code_key) == 5
    client = cache._cache.get_client(write=False)  # type: ignore[attr-defined]
    for key in (ip_key, code_key):
        assert 0 < client.ttl(cache.make_and_validate_key(key)) <= 605
