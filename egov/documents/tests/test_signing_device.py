"""The competent person whose key is on their own device: the page prepares the digest, the
device's signature comes back (pasted, as a vendor plugin would post it), and the document then
issues with the agency's seal over it, both signatures valid."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from conftest import sign_in
from egov.documents import services
from egov.documents.models import DraftState, FileRole
from egov.documents.tests.conftest import Office
from egov.documents.tests.signing_helpers import (
    add_image,
    add_key,
    approved_with_block,
    png_seal,
    png_signature,
)
from egov.signatures.models import ImageKind, SignatureKind, SigningRecord, Verdict
from egov.signatures.services_keys import signing_key_add_client
from egov.signatures.testing import TestPki
from egov.signatures.tests.test_remote import device_sign
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def test_leader_signs_on_device_then_clerk_issues(office: Office, trusted: TestPki) -> None:
    c = office.committee
    signing_key_add_client(
        user=c.leader, label="USB token", certificate=trusted.certificate("person"), by=c.leader
    )
    add_image(kind=ImageKind.SIGNATURE, data=png_signature(), width_mm="40", user=c.leader)
    add_key(trusted, "agency", unit=c.unit)
    add_image(kind=ImageKind.SEAL, data=png_seal(), width_mm="36", unit=c.unit)
    document = approved_with_block(office)
    unsigned = document.files.get(role=FileRole.DRAFT)

    leader = Client()
    sign_in(leader, c.leader)
    response = leader.post(f"/documents/{document.pk}/act/sign/")
    assert response.status_code == 302 and "/sign-on-device/" in response["Location"]
    page = leader.get(response["Location"])
    assert page.status_code == 200
    digest = re.search(r'id="digest">([^<]+)<', page.content.decode()).group(1)  # type: ignore[union-attr]
    # Nothing changed yet: the document waits for the device.
    assert document.files.filter(role=FileRole.DRAFT).count() == 1

    # A signature made for another digest is refused; the form keeps what was pasted.
    wrong = base64.b64encode(device_sign(trusted, "person", base64.b64encode(b"x" * 32).decode())).decode()
    refused = leader.post(response["Location"], {"cms": wrong})
    assert refused.status_code == 422 and wrong[:40] in refused.content.decode()
    assert document.files.filter(role=FileRole.DRAFT).count() == 1
    # Not base64 at all: a clear error, nothing stored.
    assert leader.post(response["Location"], {"cms": "không phải chữ ký"}).status_code == 422

    cms = base64.b64encode(device_sign(trusted, "person", digest)).decode()
    done = leader.post(response["Location"], {"cms": cms})
    assert done.status_code == 302 and done["Location"] == f"/documents/{document.pk}/"
    signed = document.files.filter(role=FileRole.DRAFT).order_by("-version").first()
    assert signed is not None and signed.derived_from == unsigned
    record = SigningRecord.objects.get(kind=SignatureKind.PERSON)
    assert record.signed_by == c.leader and record.result_sha256 == signed.sha256
    # Nobody else reaches the request.
    other = Client()
    sign_in(other, c.clerk)
    assert other.get(response["Location"]).status_code == 404

    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    assert issued.state == DraftState.ISSUED
    main = issued.files.get(role=FileRole.MAIN)
    with main.file.open("rb") as handle:
        result = validate_pdf(handle.read())
    assert result.verdict == Verdict.VALID, result.summary
    assert result.signatures[0].signer == "Nguyễn Văn An"


def test_api_sign_gives_the_device_digest(office: Office, trusted: TestPki) -> None:
    c = office.committee
    signing_key_add_client(
        user=c.leader, label="USB token", certificate=trusted.certificate("person"), by=c.leader
    )
    add_image(kind=ImageKind.SIGNATURE, data=png_signature(), width_mm="40", user=c.leader)
    document = approved_with_block(office)
    leader = Client()
    sign_in(leader, c.leader)
    answer = leader.post(f"/api/v1/documents/drafts/{document.pk}/sign", content_type="application/json")
    assert answer.status_code == 202, answer.content
    body = answer.json()
    cms = base64.b64encode(device_sign(trusted, "person", body["digest"])).decode()
    done = leader.post(body["complete"], {"cms": cms}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert SigningRecord.objects.filter(kind=SignatureKind.PERSON, signed_by=c.leader).count() == 1
