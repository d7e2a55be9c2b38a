"""Permission-matrix rows of the signature app's keys pages and API operations (personas and
world: :mod:`egov.documents.tests.matrix_base`). The rows' objects are made on first use: the
chairman's own-device key, signature image and signing request, and a key of the committee."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from egov.documents.tests.matrix_base import A, Case, U, World

# anonymous, citizen, clerk, leader, head, specialist, clerk_dept, outsider, admin, auditor
STAFF_PAGE = (A, 404, 200, 200, 200, 200, 200, 200, 200, 200)
STAFF_BAD_POST = (A, 404, 422, 422, 422, 422, 422, 422, 422, 422)  # an empty form: refused, nothing stored
LEADER_OWN_POST = (A, 404, 404, 302, 404, 404, 404, 404, 404, 404)
LEADER_OWN_IMAGE = (A, 404, 403, 200, 403, 403, 403, 403, 403, 403)
ADMIN_PAGE = (A, 404, 403, 403, 403, 403, 403, 403, 200, 403)
ADMIN_BAD_POST = (A, 404, 403, 403, 403, 403, 403, 403, 422, 403)
ADMIN_POST = (A, 404, 403, 403, 403, 403, 403, 403, 302, 403)
ADMIN_IMAGE = (A, 404, 403, 403, 403, 403, 403, 403, 200, 403)
LEADER_API = (U, 404, 404, 200, 404, 404, 404, 404, 404, 404)
LEADER_API_BAD = (U, 404, 404, 422, 404, 404, 404, 404, 404, 404)


def _once(world: World, name: str, make: Any) -> Any:
    if name not in world.extra:
        world.extra[name] = make(world)
    return world.extra[name]


def _leader_key(world: World) -> Any:
    from egov.signatures.models import KeyBackend, SigningKey

    def make(w: World) -> Any:
        return SigningKey.objects.create(
            user=w.office.committee.leader, label="Token", backend=KeyBackend.CLIENT, certificate=b""
        )

    return _once(world, "keys_leader_key", make)


def _agency_key(world: World) -> int:
    from egov.signatures.models import KeyBackend, SigningKey

    def make(w: World) -> Any:
        return SigningKey.objects.create(
            unit=w.office.committee.unit, label="Khóa", backend=KeyBackend.PKCS12
        )

    return int(_once(world, "keys_agency_key", make).pk)


def _image(world: World, name: str, **owner: Any) -> int:
    from egov.signatures.models import SignatureImage

    def make(_w: World) -> Any:
        row = SignatureImage(
            kind=owner.pop("kind"),
            sha256="0" * 64,
            width_px=1,
            height_px=1,
            width_mm=36,
            uploaded_at=timezone.now(),
            **owner,
        )
        row.image.save("matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        row.save()
        return row

    return int(_once(world, name, make).pk)


def _leader_image(world: World) -> int:
    return _image(world, "keys_leader_image", kind="signature", user=world.office.committee.leader)


def _seal(world: World) -> int:
    return _image(world, "keys_seal", kind="seal", unit=world.office.committee.unit)


def _request(world: World) -> str:
    from egov.signatures.models_remote import PreparedSignature

    def make(w: World) -> Any:
        return PreparedSignature.objects.create(
            key=_leader_key(w),
            prepared_by=w.office.committee.leader,
            target="matrix:1",
            field_name="p",
            source_sha256="0" * 64,
            prepared_pdf=b"%PDF-1.7",
            digest="AAAA",
            reserved_start=0,
            reserved_end=0,
            expires_at=timezone.now() + dt.timedelta(minutes=30),
        )

    return str(_once(world, "keys_request", make).pk)


def _unit(world: World) -> int:
    return int(world.office.committee.unit.pk)


API = "/api/v1/signatures/device"

CASES: list[Case] = [
    Case("signatures:mine", lambda w: "/signatures/mine/", STAFF_PAGE),
    Case("signatures:mine_image", lambda w: "/signatures/mine/image/", STAFF_BAD_POST, "POST", {}),
    Case("signatures:mine_key_add", lambda w: "/signatures/mine/keys/", STAFF_BAD_POST, "POST", {}),
    Case(
        "signatures:mine_key_retire",
        lambda w: f"/signatures/mine/keys/{_leader_key(w).pk}/retire/",
        LEADER_OWN_POST,
        "POST",
        {},
    ),
    Case("signatures:image", lambda w: f"/signatures/images/{_leader_image(w)}/", LEADER_OWN_IMAGE),
    Case("signatures:image", lambda w: f"/signatures/images/{_seal(w)}/", ADMIN_IMAGE),
    Case("signatures:agency_keys", lambda w: f"/signatures/agencies/{_unit(w)}/keys/", ADMIN_PAGE),
    *[
        Case(
            "signatures:agency_key_add",
            lambda w, b=backend: f"/signatures/agencies/{_unit(w)}/keys/add/{b}/",
            ADMIN_BAD_POST,
            "POST",
            {},
        )
        for backend in ("pkcs12", "pkcs11", "csc")
    ],
    Case(
        "signatures:agency_key_retire",
        lambda w: f"/signatures/keys/{_agency_key(w)}/retire/",
        ADMIN_POST,
        "POST",
        {},
    ),
    Case(
        "signatures:agency_seal",
        lambda w: f"/signatures/agencies/{_unit(w)}/seal/",
        ADMIN_BAD_POST,
        "POST",
        {},
    ),
    Case("GET /api/v1/signatures/device/{request_id}", lambda w: f"{API}/{_request(w)}", LEADER_API),
    Case(
        "POST /api/v1/signatures/device/{request_id}/complete",
        lambda w: f"{API}/{_request(w)}/complete",
        LEADER_API_BAD,
        "POST",
        {"cms": "AAAA"},
        json=True,
    ),
]
