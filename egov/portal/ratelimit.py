"""Fixed-window attempt counters in Django's cache, per client IP and per identifier.

With one process the default LocMem cache is enough; several web processes must share a cache
(Redis, EGOV_CACHE_URL) or each would count only its own share of the attempts."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from egov.core.middleware import client_ip


def _bump(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def rate_limited(request: HttpRequest, scope: str, identifier: str = "") -> bool:
    """Count one attempt; True when the client or the identifier has used up its attempts.

    Identifiers (phone numbers, e-mail addresses, dossier codes) are hashed before they become
    cache keys, so the cache never holds them in clear."""
    per_ip, per_identifier, window = settings.EGOV_PORTAL_RATE_LIMITS[scope]
    slot = int(time.time() // window)
    over = _bump(f"egov:rl:{scope}:ip:{client_ip(request) or '-'}:{slot}", window) > per_ip
    if identifier:
        digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
        over = _bump(f"egov:rl:{scope}:id:{digest}:{slot}", window) > per_identifier or over
    return over
