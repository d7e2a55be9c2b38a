"""Keys on a PKCS#11 token (SoftHSM2, a real token library in its own token directory) and at
a remote signing service speaking the CSC API (certomancer-csc-dummy, a separate process):
registering them reads the certificate from where the key is; signing with them gives a PDF
that validates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.signatures.errors import SignatureError
from egov.signatures.keys import signer_for
from egov.signatures.models import KeyBackend, Verdict
from egov.signatures.services_keys import signing_key_add_csc, signing_key_add_pkcs11
from egov.signatures.signing import Level, sign_pdf
from egov.signatures.testing import TestPki, free_port, wait_for_port
from egov.signatures.tests.test_core import plain_pdf
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN, SO_PIN = "egov-test", "1234", "5678"

_ONCE: dict[str, str] = {}

needs_softhsm = pytest.mark.skipif(
    not Path(MODULE).exists() or not shutil.which("softhsm2-util") or not shutil.which("pkcs11-tool"),
    reason="SoftHSM2 and OpenSC are not installed",
)


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 — fixed tools


@pytest.fixture(scope="session")
def softhsm(test_pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SoftHSM2 token in its own directory holding the test PKI's agency key and certificate
    (under the label "agency"), and the person's (label "person"). Made once per session even
    when another test module imports this fixture (the token library reads its configuration
    once per process)."""
    if "softhsm" in _ONCE:
        yield _ONCE["softhsm"]
        return
    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\n")
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    keys = test_pki.config.parent / "keys"
    for n, label in enumerate(["agency", "person"], start=1):
        ident = f"{n:02x}"
        _run(
            "softhsm2-util", "--import", str(keys / f"{label}.key.pem"), "--token", TOKEN,
            "--label", label, "--id", ident, "--pin", PIN,
        )  # fmt: skip
        der = home / f"{label}.der"
        der.write_bytes(test_pki.certificate(label))
        _run(
            "pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login", "--pin", PIN,
            "--write-object", str(der), "--type", "cert", "--label", label, "--id", ident,
        )  # fmt: skip
    interm = home / "interm.der"
    interm.write_bytes(test_pki.certificate("interm"))
    _run(
        "pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login", "--pin", PIN,
        "--write-object", str(interm), "--type", "cert", "--label", "interm", "--id", "99",
    )  # fmt: skip
    _ONCE["softhsm"] = TOKEN
    yield TOKEN
    _ONCE.pop("softhsm", None)
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


@pytest.fixture
def agency_unit(db: None):  # type: ignore[no-untyped-def]
    from egov.orgs.models import Unit

    return Unit.objects.create(name="UBND tỉnh Thử Nghiệm", kind="committee", path="/k/", level="province")


@needs_softhsm
def test_token_key_is_registered_from_the_token_and_signs(
    trusted: TestPki, softhsm: str, agency_unit, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = str(tmp_path)
    key = signing_key_add_pkcs11(
        unit=agency_unit, label="Token", module=MODULE, token_label=softhsm, key_label="agency",
        pin=PIN.encode(), by=None,
    )  # fmt: skip
    assert key.backend == KeyBackend.PKCS11
    assert "Ủy ban nhân dân tỉnh Thử Nghiệm" in key.subject
    assert bytes(key.certificate) == trusted.certificate("agency")
    assert PIN not in str(key.config)  # the PIN is a secret, not in the row
    signed = sign_pdf(data=plain_pdf(), signer=signer_for(key), field_name="agency")
    result = validate_pdf(signed)
    assert result.verdict == Verdict.VALID, result.summary
    assert result.signatures[0].signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"


@needs_softhsm
def test_token_wrong_pin_wrong_label_wrong_agency_refused(
    test_pki: TestPki, softhsm: str, agency_unit, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from egov.signatures.models import SigningKey

    settings.DATA_DIR = str(tmp_path)
    common = {"unit": agency_unit, "label": "T", "module": MODULE, "token_label": softhsm, "by": None}
    with pytest.raises(SignatureError, match="PIN"):
        signing_key_add_pkcs11(key_label="agency", pin=b"0000", **common)
    with pytest.raises(SignatureError, match=r"nhãn|label"):
        signing_key_add_pkcs11(key_label="nobody", pin=PIN.encode(), **common)
    agency_unit.name = "Sở Tài chính"
    with pytest.raises(SignatureError, match="Sở Tài chính"):
        signing_key_add_pkcs11(key_label="agency", pin=PIN.encode(), **common)
    assert not SigningKey.objects.exists()


@pytest.fixture(scope="session")
def csc_service(test_pki: TestPki) -> Iterator[str]:
    """certomancer-csc-dummy serving the test PKI's keys (SCAL 2: hashes pinned at authorisation),
    once per session."""
    if "csc" in _ONCE:
        yield _ONCE["csc"]
        return
    port = free_port()
    exe = shutil.which("certomancer-csc") or str(Path(sys.executable).with_name("certomancer-csc"))
    process = subprocess.Popen(  # noqa: S603 — our own command line
        [exe, str(test_pki.config), str(port), "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        _ONCE["csc"] = f"http://localhost:{port}"
        yield _ONCE["csc"]
    finally:
        _ONCE.pop("csc", None)
        process.terminate()
        process.wait(timeout=10)


def test_remote_service_key_is_registered_from_the_credential_and_signs(
    trusted: TestPki, csc_service: str, agency_unit, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = str(tmp_path)
    key = signing_key_add_csc(
        unit=agency_unit, label="Ký số từ xa", service_url=csc_service, credential_id="egov/agency",
        secret=b"token:test-token;pin:1234", by=None,
    )  # fmt: skip
    assert key.backend == KeyBackend.CSC
    assert bytes(key.certificate) == trusted.certificate("agency")
    signed = sign_pdf(data=plain_pdf(), signer=signer_for(key), field_name="agency", level=Level.B_T)
    result = validate_pdf(signed)
    assert result.verdict == Verdict.VALID, result.summary
    assert result.signatures[0].signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"


def test_remote_service_refusals(
    test_pki: TestPki, csc_service: str, agency_unit, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from egov.signatures.models import SigningKey

    settings.DATA_DIR = str(tmp_path)
    common = {"unit": agency_unit, "label": "R", "service_url": csc_service, "by": None}
    with pytest.raises(SignatureError, match=r"từ xa|remote"):
        signing_key_add_csc(credential_id="egov/nobody", **common)
    with pytest.raises(SignatureError, match=r"expired|hết hạn"):
        signing_key_add_csc(credential_id="egov/expired", **common)
    with pytest.raises(SignatureError, match=r"Sở Y tế|UBND"):
        signing_key_add_csc(credential_id="egov/agency2", **common)
    assert not SigningKey.objects.exists()
