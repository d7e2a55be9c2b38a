"""Signing on the signer's own device: the server prepares, the test plays the vendor software
honestly (a detached CMS over the given digest, made with the person's key as a token would),
the server embeds it. A CMS for another digest or by another certificate is refused and
nothing is stored; completing twice gives the same bytes."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import _person, sign_in
from egov.signatures import remote
from egov.signatures.errors import SignatureError
from egov.signatures.models import KeyBackend, Verdict
from egov.signatures.models_remote import PreparedSignature
from egov.signatures.services_keys import signing_key_add_client
from egov.signatures.signing import Box
from egov.signatures.testing import TestPki
from egov.signatures.tests.test_core import plain_pdf
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db

STORED: dict[str, bytes] = {}


def _store(prepared: PreparedSignature, signed: bytes) -> None:
    STORED[prepared.target] = signed


remote.register_completion("test", _store)


def device_sign(pki: TestPki, label: str, digest_b64: str) -> bytes:
    """What the vendor software does: a detached CMS whose signed attributes carry the digest."""
    from pyhanko.sign.signers import SimpleSigner

    signer = SimpleSigner.load_pkcs12_data(pki.pkcs12(label, b"pw"), other_certs=[], passphrase=b"pw")  # type: ignore[no-untyped-call]
    content = asyncio.run(signer.async_sign(base64.b64decode(digest_b64), "sha256", use_pades=True))
    return bytes(content.dump())


@pytest.fixture
def signer_person(trusted: TestPki) -> Any:
    user = _person("nguyenvanan")
    key = signing_key_add_client(user=user, label="Token", certificate=trusted.certificate("person"), by=user)
    return user, key


def test_device_signature_is_embedded_timestamped_and_valid(trusted: TestPki, signer_person: Any) -> None:
    user, key = signer_person
    assert key.backend == KeyBackend.CLIENT and key.not_after is not None
    pdf = plain_pdf()
    prepared = remote.prepare(
        data=pdf, key=key, field_name="person", box=Box(-1, 300, 100, 450, 160), by=user, target="test:1"
    )
    assert len(base64.b64decode(prepared.digest)) == 32
    assert prepared.expires_at > timezone.now() + dt.timedelta(minutes=29)
    signed = remote.complete(
        prepared_id=prepared.id, cms=device_sign(trusted, "person", prepared.digest), by=user
    )
    assert signed.startswith(pdf)  # an incremental update
    assert STORED["test:1"] == signed
    result = validate_pdf(signed)
    assert result.verdict == Verdict.VALID, result.summary
    assert result.signatures[0].signer == "Nguyễn Văn An"
    assert result.signatures[0].timestamp_time is not None  # the server added the B-T timestamp
    # completing again gives the same bytes, and does not sign twice
    again = remote.complete(prepared_id=prepared.id, cms=b"anything", by=user)
    assert again == signed


def test_signature_of_another_digest_or_certificate_refused(trusted: TestPki, signer_person: Any) -> None:
    user, key = signer_person
    STORED.clear()
    first = remote.prepare(data=plain_pdf("Bản một"), key=key, field_name="p", by=user, target="test:2")
    second = remote.prepare(data=plain_pdf("Bản hai"), key=key, field_name="p", by=user, target="test:3")
    with pytest.raises(SignatureError, match=r"another version|bản khác"):
        remote.complete(prepared_id=first.id, cms=device_sign(trusted, "person", second.digest), by=user)
    with pytest.raises(SignatureError, match=r"another certificate|chứng thư"):
        remote.complete(prepared_id=first.id, cms=device_sign(trusted, "agency", first.digest), by=user)
    with pytest.raises(SignatureError, match="CMS"):
        remote.complete(prepared_id=first.id, cms=b"not a signature", by=user)
    row = PreparedSignature.objects.get(pk=first.id)
    assert row.result is None and row.completed_at is None and not STORED
    # another user does not even see the request
    with pytest.raises(SignatureError):
        remote.complete(
            prepared_id=first.id, cms=device_sign(trusted, "person", first.digest), by=_person("khac")
        )


def test_expired_request_refused_and_purged(trusted: TestPki, signer_person: Any) -> None:
    user, key = signer_person
    prepared = remote.prepare(data=plain_pdf(), key=key, field_name="p", by=user, target="test:4")
    PreparedSignature.objects.filter(pk=prepared.id).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(SignatureError, match="30"):
        remote.complete(prepared_id=prepared.id, cms=device_sign(trusted, "person", prepared.digest), by=user)
    assert remote.purge_expired() == 1


def test_only_the_holder_prepares_with_a_device_key(trusted: TestPki, signer_person: Any) -> None:
    _user, key = signer_person
    with pytest.raises(SignatureError):
        remote.prepare(data=plain_pdf(), key=key, field_name="p", by=_person("khac2"), target="test:5")
    with pytest.raises(SignatureError):
        remote.prepare(data=plain_pdf(), key=key, field_name="p", by=_user, target="nohandler:5")


def test_api_exchange(trusted: TestPki, signer_person: Any) -> None:
    user, key = signer_person
    pdf = plain_pdf()
    prepared = remote.prepare(data=pdf, key=key, field_name="p", by=user, target="test:6")
    client = Client()
    sign_in(client, user)
    url = f"/api/v1/signatures/device/{prepared.id}"
    info = client.get(url).json()
    assert info["digest"] == prepared.digest and info["algorithm"] == "sha256" and not info["completed"]
    assert base64.b64decode(info["certificate"]) == trusted.certificate("person")
    other = remote.prepare(data=plain_pdf("khác"), key=key, field_name="p", by=user, target="test:7")
    wrong = base64.b64encode(device_sign(trusted, "person", other.digest)).decode()
    answer = client.post(url + "/complete", json.dumps({"cms": wrong}), content_type="application/json")
    assert answer.status_code == 422
    assert re.search(r"another version|bản khác", answer.json()["error"]["message"])
    assert PreparedSignature.objects.get(pk=prepared.id).result is None
    assert (
        client.post(url + "/complete", json.dumps({"cms": "@@"}), content_type="application/json").status_code
        == 422
    )
    good = base64.b64encode(device_sign(trusted, "person", info["digest"])).decode()
    answer = client.post(url + "/complete", json.dumps({"cms": good}), content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["sha256"] == PreparedSignature.objects.get(pk=prepared.id).result_sha256
    stranger = Client()
    sign_in(stranger, _person("nguoila"))
    assert stranger.get(url).status_code == 404


def test_device_signature_without_its_certificate_gets_the_registered_one(
    trusted: TestPki, signer_person: Any
) -> None:
    from asn1crypto import cms

    user, key = signer_person
    prepared = remote.prepare(data=plain_pdf(), key=key, field_name="p", by=user, target="test:8")
    content = cms.ContentInfo.load(device_sign(trusted, "person", prepared.digest))
    del content["content"]["certificates"]  # what some vendor plugins send: the signer info only
    bare = content.dump(force=True)
    signed = remote.complete(prepared_id=prepared.id, cms=bare, by=user)
    found = validate_pdf(signed).signatures[0]
    # Intact and by the registered person; the chain above is the sender's to include (here
    # the intermediate is missing, so the trust verdict rests on the trust roots alone).
    assert found.intact and found.signer == "Nguyễn Văn An"
    assert found.certificate_serial.upper() == key.serial.upper()
