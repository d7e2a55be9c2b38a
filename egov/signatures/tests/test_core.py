"""The core of signing and checking: two signatures in order stay valid; one changed byte, an
untrusted root or a second incremental edit are caught."""

from __future__ import annotations

import pytest

from egov.signatures.errors import SignatureError
from egov.signatures.keys import signer_for
from egov.signatures.models import Verdict
from egov.signatures.services import signing_key_add_pkcs12
from egov.signatures.signing import Appearance, Box, Level, sign_pdf
from egov.signatures.testing import TestPki
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def plain_pdf(text: str = "Quyết định về việc thử nghiệm") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<p>{text}</p><p>Nguyễn Văn An</p>").write_pdf())


def key_of(pki: TestPki, label: str, **owner: object):  # type: ignore[no-untyped-def]
    from egov.orgs.models import Unit

    unit = owner.get("unit") or Unit.objects.create(
        name="UBND tỉnh Thử Nghiệm", kind="committee", path="/x/", level="province"
    )
    return signing_key_add_pkcs12(
        unit=unit, label=label, pkcs12=pki.pkcs12(label, b"pw"), passphrase=b"pw", by=None
    )


def test_two_signatures_in_order_both_valid_and_timestamped(trusted: TestPki) -> None:
    person, agency = key_of(trusted, "person"), key_of(trusted, "agency")
    once = sign_pdf(
        data=plain_pdf(), signer=signer_for(person), field_name="person", box=Box(-1, 300, 100, 450, 160)
    )
    twice = sign_pdf(
        data=once, signer=signer_for(agency), field_name="agency", box=Box(-1, 290, 100, 340, 150)
    )
    assert twice.startswith(once)  # incremental: the first signature's bytes are untouched
    result = validate_pdf(twice)
    assert result.verdict == Verdict.VALID, result.summary
    assert [s.signer for s in result.signatures] == ["Nguyễn Văn An", "Ủy ban nhân dân tỉnh Thử Nghiệm"]
    assert all(s.timestamp_time for s in result.signatures)


def test_one_changed_byte_is_caught(trusted: TestPki) -> None:
    signed = bytearray(
        sign_pdf(data=plain_pdf(), signer=signer_for(key_of(trusted, "agency")), field_name="a")
    )
    position = signed.index(b"WeasyPrint")  # the producer's name: inside the signed range
    signed[position] = ord("w")
    result = validate_pdf(bytes(signed))
    assert result.verdict == Verdict.INVALID


def test_untrusted_root_is_unknown_not_valid(trusted: TestPki) -> None:
    from egov.signatures.models import TrustRoot

    signed = sign_pdf(
        data=plain_pdf(), signer=signer_for(key_of(trusted, "agency")), field_name="a", level=Level.B_B
    )
    TrustRoot.objects.update(is_active=False)
    assert validate_pdf(signed).verdict == Verdict.UNKNOWN


def test_not_a_pdf_and_text_stamp(trusted: TestPki) -> None:
    assert validate_pdf(b"hello").verdict == Verdict.UNREADABLE
    with pytest.raises(SignatureError):
        sign_pdf(data=b"%PDF-1.7 broken", signer=None, field_name="a")
    stamped = sign_pdf(
        data=plain_pdf(),
        signer=signer_for(key_of(trusted, "agency")),
        field_name="copy",
        box=Box(0, 380, 760, 580, 820),
        appearance=Appearance(text="Số: 12/QĐ-UBND\n2026-12-08T09:30:00+07:00"),
    )
    assert validate_pdf(stamped).verdict == Verdict.VALID
