"""Fixed-window attempt counters in Django's cache, per client IP and per identifier.

With one process the default LocMem cache is enough; several web processes must share a cache
(Redis, EGOV_CACHE_URL) or each would count only its own share of the attempts."""

from __future__ import annotations

import hashlib
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from egov.core.middleware import client_ip


def _bump(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def _bump_all(keys: list[str], window: int) -> list[int]:
    """Count one attempt on each key; the counts after it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip on one client. Django's RedisCache makes a new client for every call
        # (about half a millisecond each), and this runs on every public look-up.
        client = backend._cache.get_client(write=True)
        pipe = client.pipeline(transaction=False)
        for key in keys:
            full = backend.make_and_validate_key(key)
            pipe.set(full, 0, ex=window + 5, nx=True)  # same encoding as cache.add(key, 0)
            pipe.incr(full)
        return [int(count) for count in pipe.execute()[1::2]]
    return [_bump(key, window) for key in keys]


def rate_limit_keys(request: HttpRequest, scope: str, identifier: str = "") -> list[str]:
    """The counters one attempt bumps: the client's IP, and the identifier if given.

    Callers pass the identifier normalised (``identifier_key`` for phones and e-mail addresses),
    so one number typed eight ways is one counter; it is hashed before it becomes a cache key, so
    the cache never holds it in clear."""
    window = settings.EGOV_PORTAL_RATE_LIMITS[scope][2]
    slot = int(time.time() // window)
    keys = [f"egov:rl:{scope}:ip:{client_ip(request) or '-'}:{slot}"]
    if identifier:
        digest = hashlib.sha256(
            unicodedata.normalize("NFKC", identifier).strip().lower().encode()
        ).hexdigest()[:32]
        keys.append(f"egov:rl:{scope}:id:{digest}:{slot}")
    return keys


def rate_limited(request: HttpRequest, scope: str, identifier: str = "") -> bool:
    """Count one attempt; True when the client or the identifier has used up its attempts."""
    per_ip, per_identifier, window = settings.EGOV_PORTAL_RATE_LIMITS[scope]
    counts = _bump_all(rate_limit_keys(request, scope, identifier), window)
    return counts[0] > per_ip or (len(counts) > 1 and counts[1] > per_identifier)
