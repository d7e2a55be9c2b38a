"""The demo's signatures: a demo PKI generated at load time (nothing shipped), demo keys and
images for the demo agencies and leaders, the demo root trusted, and every signed result of the
demo valid against it — with the PKI's services in their own process, as `egov demo` runs them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from egov.accounts.models import User
from egov.demo import signatures as demo
from egov.demo.loader import load_demo
from egov.dossiers.models import DossierFile
from egov.dossiers.services.signing import current_results
from egov.signatures.models import ImageKind, RootKind, SignatureImage, SigningKey, TrustRoot, Verdict
from egov.signatures.validation import validate_pdf

END = dt.datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ROOT = Path(__file__).resolve().parents[3]


def _bytes(f: DossierFile) -> bytes:
    with f.file.open("rb") as fh:
        return bytes(fh.read())


def test_images_are_a_blue_signature_and_a_red_seal_on_transparent_backgrounds() -> None:
    signature = Image.open(io.BytesIO(demo.signature_png("Huỳnh Văn Phúc"))).convert("RGBA")
    seal = Image.open(io.BytesIO(demo.seal_png("Ủy ban nhân dân phường Rạch Giá"))).convert("RGBA")
    for image, blue in ((signature, True), (seal, False)):
        pixels = [image.getpixel((x, y)) for x in range(0, image.width, 3) for y in range(0, image.height, 3)]
        opaque = [p for p in pixels if isinstance(p, tuple) and p[3] > 200]
        assert image.getpixel((0, 0))[3] == 0  # type: ignore[index] # transparent corner
        assert len(opaque) > 100
        if blue:
            assert all(p[2] > p[0] + 60 for p in opaque)
        else:
            assert all(p[0] > p[2] + 60 for p in opaque)
    assert seal.width == seal.height  # round
    assert signature.width > 2 * signature.height  # a name written on a line


def test_no_private_key_is_shipped() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert not [p for p in tracked if p.endswith((".p12", ".pfx", ".key.pem"))]


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_pki_keys_images_and_signed_results(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    load_demo(dossiers_per_year=200, end=END, documents=200)
    admin = User.objects.get(username="admin")
    running = demo.prepare_pki(port=demo.free_port(0))
    animator = demo.start_animator(running)
    try:
        done = demo.load_demo_signatures(running, by=admin)
        again = demo.load_demo_signatures(running, by=admin)
    finally:
        animator.terminate()
        animator.wait(timeout=10)

    # The root is a demo root, trusted as such.
    [root] = TrustRoot.objects.all()
    assert root.kind == RootKind.DEMO and "DEMO" in root.name and "DEMO" in root.subject
    # One demo key per demo agency and leader, as a PKCS#12 file with its passphrase kept apart.
    agencies, leaders = demo.demo_agencies(), demo.demo_leaders()
    assert len(agencies) >= 5 and len(leaders) >= 5
    keys = SigningKey.objects.all()
    assert keys.count() == len(agencies) + len(leaders) == done["keys"]
    assert all(k.is_demo and k.backend == "pkcs12" and k.secret_name for k in keys)
    for key in keys:
        assert (tmp_path / key.config["path"]).stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "secrets" / key.secret_name).stat().st_mode & 0o777 == 0o600
    assert set(keys.exclude(unit=None).values_list("unit_id", flat=True)) == {u.pk for u in agencies}
    assert set(keys.exclude(user=None).values_list("user_id", flat=True)) == {u.pk for u in leaders}
    # Images: a signature per leader, a 36 mm seal per agency.
    assert SignatureImage.objects.filter(kind=ImageKind.SIGNATURE).count() == len(leaders)
    seals = SignatureImage.objects.filter(kind=ImageKind.SEAL)
    assert seals.count() == len(agencies) and {s.width_mm for s in seals} == {demo.SEAL_WIDTH_MM}

    # Every result in the demo is signed twice and valid against the demo root, timestamped
    # by the demo TSA (which was up before anything was signed).
    assert done["results"] >= 1
    results = [
        v for d in {f.dossier for f in DossierFile.objects.filter(kind="result")} for v in current_results(d)
    ]
    assert len(results) == done["results"]
    for version in results:
        assert version.person_signed and version.agency_signed
        report = validate_pdf(_bytes(version.file))
        assert report.verdict == Verdict.VALID, report.summary
        assert len(report.signatures) == 2 and all(s.timestamp_time for s in report.signatures)

    # poppler agrees on the demo's signed files.
    pdfsig = shutil.which("pdfsig")
    if pdfsig:
        out = subprocess.run([pdfsig, results[0].file.file.path], capture_output=True, check=False)  # noqa: S603
        assert out.stdout.decode().count("Signature is Valid") == 2

    # Loading again adds nothing.
    assert again["keys"] == 0 and again["results"] == 0
    assert demo.prepare_pki(port=1) == running  # the PKI keeps its address for good
