"""Permission-matrix rows of the signature app's checks pages and API operations (personas and
world: :mod:`egov.documents.tests.matrix_base`).

The public check answers everyone alike (an empty POST: 422, the file is missing). The trust
roots pages are the system administrator's: none of these personas is one (403), anonymous is
sent to sign in; ``test_views_check.py`` shows a system administrator succeeds."""

from __future__ import annotations

from egov.documents.tests.matrix_base import A, Case, World
from egov.signatures.models import RootKind, TrustRoot

# anonymous, citizen, clerk, leader, head, specialist, clerk_dept, outsider, admin, auditor
EVERYONE = (200,) * 10
EMPTY_POST = (422,) * 10
SYSTEM_ADMIN_ONLY = (A, 403, 403, 403, 403, 403, 403, 403, 403, 403)


def _root(w: World) -> TrustRoot:
    """A retired root of the world (made on first use)."""
    if "trust_root" not in w.extra:
        import datetime as dt

        w.extra["trust_root"] = TrustRoot.objects.create(
            name="Matrix root",
            kind=RootKind.OTHER,
            certificate=b"-",
            sha256="0" * 64,
            subject="CN=Matrix root",
            not_after=dt.datetime(2040, 1, 1, tzinfo=dt.UTC),
            is_active=False,
        )
    root: TrustRoot = w.extra["trust_root"]
    return root


CASES: list[Case] = [
    Case("signatures:check", lambda w: "/signatures/check/", EVERYONE),
    Case("signatures:check", lambda w: "/signatures/check/", EMPTY_POST, method="POST", body={}),
    Case(
        "POST /api/v1/signatures/check",
        lambda w: "/api/v1/signatures/check",
        EMPTY_POST,
        method="POST",
        body={},
    ),
    Case("signatures:roots", lambda w: "/signatures/roots/", SYSTEM_ADMIN_ONLY),
    Case("signatures:roots", lambda w: "/signatures/roots/", SYSTEM_ADMIN_ONLY, method="POST", body={}),
    Case(
        "signatures:root_retire",
        lambda w: f"/signatures/roots/{_root(w).pk}/retire/",
        SYSTEM_ADMIN_ONLY,
        method="POST",
        body={},
    ),
]
