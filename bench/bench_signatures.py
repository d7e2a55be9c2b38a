"""Benchmark of digital signatures: signing, checking, and re-checking stored files.

Run with:  uv run python bench/bench_signatures.py [--signings 30] [--validations 50] [--stored 10000]

1. Sign a two-page document with two signatures (the competent person's image, then the
   agency's seal), PAdES B-T, timestamped by a local TSA — certomancer's Animator in its own
   process, RSA-2048 keys as real CAs issue — through ``egov.signatures.signing.sign_pdf`` with
   the keys loaded from their PKCS#12 files as the services do (``keys.signer_for``). Target
   p50 < 300 ms. Ceiling, same run: the irreducible part of the same two signatures — two RSA
   signatures and two round trips to the same TSA, no PDF work.
2. Check a signed PDF (``egov.signatures.validation.validate_pdf``, both signatures, chain to
   the trusted test root). Target p50 < 200 ms. Ceiling, same run: reading the PDF, hashing
   every signed byte range and verifying the two RSA signatures, without the chain, the
   timestamps and the modification analysis.
3. Re-check ``--stored`` stored signed PDFs the way the worker does after a trust-root change,
   and report the rate. With ``egov.signatures.checks`` (stored checks) present: its
   ``recheck()`` over stale ``ValidationReport`` rows; without it: ``validate_pdf`` over each
   stored file and its report row saved (the output says which). The stored files are copies of
   ``--distinct`` different two-signature B-T PDFs, each under its own name and report (signing
   10,000 files at B-T would take most of an hour and measure signing again). Ceiling, same run:
   the in-memory check rate of one process (1 / p50 of part 2).

Everything runs in a fresh data folder (SQLite) unless EGOV_DATABASE_URL says otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_env, setup_django

COMMAND = "uv run python bench/bench_signatures.py"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def two_page_pdf(n: int) -> bytes:
    from weasyprint import HTML

    text = " ".join(["Quyết định về việc cấp giấy phép; căn cứ Luật Tổ chức chính quyền địa phương."] * 40)
    return bytes(
        HTML(
            string=f"<h1>Quyết định số {n}/QĐ-UBND</h1><p>{text}</p>"
            f"<p style='page-break-before: always'>{text}</p><p>CHỦ TỊCH</p><p>Nguyễn Văn An</p>"
        ).write_pdf()
    )


def _private_keys(*signers: Any) -> list[Any]:
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    return [load_der_private_key(s.signing_key.dump(), None) for s in signers]


def _ceiling_sign(keys: list[Any], tsa: str) -> float:
    """Two RSA signatures and two TSA round trips: what any B-T signing of two signatures costs."""
    import requests
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from pyhanko.sign.timestamps import HTTPTimeStamper

    stamper = HTTPTimeStamper(tsa, timeout=15)
    started = time.perf_counter()
    for key in keys:
        digest = hashlib.sha256(b"x" * 64).digest()
        key.sign(digest, padding.PKCS1v15(), hashes.SHA256())
        request = stamper.request_cms(digest, "sha256")[1].dump()
        requests.post(tsa, data=request, headers={"Content-Type": "application/timestamp-query"}, timeout=15)
    return time.perf_counter() - started


def _ceiling_check(data: bytes) -> float:
    """Read the PDF, hash the signed ranges, verify the signatures' cryptography only."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.x509 import load_der_x509_certificate

    from egov.signatures.pdf import read_pdf

    started = time.perf_counter()
    reader = read_pdf(data)
    for embedded in reader.embedded_signatures:
        embedded.compute_digest()
        signer_info = embedded.signer_info
        cert = load_der_x509_certificate(embedded.signer_cert.dump())
        signed_attrs = signer_info["signed_attrs"].untag().dump()
        cert.public_key().verify(  # type: ignore[union-attr, call-arg]
            signer_info["signature"].native, signed_attrs, padding.PKCS1v15(), hashes.SHA256()
        )
    return time.perf_counter() - started


def _fetch_revocation(pki: Any) -> None:
    """The test PKI's CRLs and OCSP responses cached, as the revocation job would have them
    (checks use only cached revocation data)."""
    from asn1crypto import x509

    from egov.signatures.pki import load_arch

    try:
        from egov.signatures.revocation import fetch_sources, sources_for  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # before the stored checks: revocation is not required
        return
    arch = load_arch(pki.config)
    labels = ["root", "interm", "tsa", "ocsp", "agency", "person"]
    fetch_sources(
        sources_for([x509.Certificate.load(arch.get_cert(label).dump()) for label in labels]), force=True
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signings", type=int, default=30)
    parser.add_argument("--validations", type=int, default=50)
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=20)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args(argv)

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="egov-bench-sig-"))
    setup_django(bench_env(data_dir))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from egov.orgs.models import Unit
    from egov.signatures.keys import signer_for
    from egov.signatures.models import RootKind
    from egov.signatures.services import signing_key_add_pkcs12, trust_root_add
    from egov.signatures.signing import Appearance, Box, sign_pdf
    from egov.signatures.testing import start_pki
    from egov.signatures.validation import validate_pdf

    started_pki = time.perf_counter()
    pki = start_pki(data_dir / "pki")
    print(
        f"test PKI (RSA-2048, certomancer Animator) up in {time.perf_counter() - started_pki:.1f} s",
        flush=True,
    )
    try:
        settings.EGOV_SIGNING_TSA_URL = pki.tsa_url
        trust_root_add(certificate=pki.certificate("root"), name="Bench root", kind=RootKind.DEMO, by=None)
        _fetch_revocation(pki)
        unit = Unit.objects.create(
            name="UBND tỉnh Thử Nghiệm", kind="committee", path="/b/", level="province"
        )
        from egov.accounts.models import User

        user = User.objects.create(username="bench-leader", full_name="Nguyễn Văn An")
        person_key = signing_key_add_pkcs12(
            user=user, label="person", pkcs12=pki.pkcs12("person", b"pw"), passphrase=b"pw", by=None
        )
        agency_key = signing_key_add_pkcs12(
            unit=unit, label="agency", pkcs12=pki.pkcs12("agency", b"pw"), passphrase=b"pw", by=None
        )
        from egov.demo.signatures import seal_png, signature_png

        person_png, seal = signature_png("Nguyễn Văn An"), seal_png("Ủy ban nhân dân tỉnh Thử Nghiệm")
        person_box = Box(-1, 330, 120, 443, 165)
        seal_box = Box(-1, 267, 91, 368, 193)

        def sign_twice(source: bytes) -> bytes:
            once = sign_pdf(
                data=source, signer=signer_for(person_key), field_name="person", box=person_box,
                appearance=Appearance(image=person_png),
            )  # fmt: skip
            return sign_pdf(
                data=once, signer=signer_for(agency_key), field_name="agency", box=seal_box,
                appearance=Appearance(image=seal),
            )  # fmt: skip

        sources = [two_page_pdf(i) for i in range(max(args.signings, args.distinct) + 1)]
        sign_twice(sources[-1])  # warm-up: imports, fonts, the TSA's first answer
        sign_times, signed = [], []
        for source in sources[: args.signings]:
            began = time.perf_counter()
            signed.append(sign_twice(source))
            sign_times.append(time.perf_counter() - began)
        while len(signed) < args.distinct:
            signed.append(sign_twice(sources[len(signed)]))
        keys = _private_keys(signer_for(person_key), signer_for(agency_key))
        sign_ceiling = [_ceiling_sign(keys, pki.tsa_url) for _ in range(args.signings)]

        sample = signed[0]
        assert validate_pdf(sample).verdict == "valid", validate_pdf(sample).summary
        check_times, check_ceiling = [], []
        for i in range(args.validations):
            data = signed[i % len(signed)]
            began = time.perf_counter()
            validate_pdf(data)
            check_times.append(time.perf_counter() - began)
            check_ceiling.append(_ceiling_check(data))

        way, rate, verdicts = _recheck(signed, args.stored)
    finally:
        pki.stop()

    sign_p50, sign_c = statistics.median(sign_times), statistics.median(sign_ceiling)
    check_p50, check_c = statistics.median(check_times), statistics.median(check_ceiling)
    print(f"\nsigning: 2-page PDF, two visible signatures, PAdES B-T, local TSA ({args.signings} documents)")
    print(f"  p50 {sign_p50 * 1000:.0f} ms, p90 {_pct(sign_times, 0.9) * 1000:.0f} ms  (target p50 < 300 ms)")
    print(
        f"  ceiling (2 RSA signatures + 2 TSA round trips) p50 {sign_c * 1000:.0f} ms: {sign_c / sign_p50:.0%}"
    )
    print(f"checking: both signatures, chain to the trusted root ({args.validations} checks)")
    print(
        f"  p50 {check_p50 * 1000:.0f} ms, p90 {_pct(check_times, 0.9) * 1000:.0f} ms  (target p50 < 200 ms)"
    )
    print(
        f"  ceiling (parse, hash ranges, verify RSA) p50 {check_c * 1000:.1f} ms: {check_c / check_p50:.0%}"
    )
    print(f"re-checking {args.stored:,} stored signed PDFs ({args.distinct} distinct) — {way}")
    print(f"  {rate:.1f} files/s ({args.stored / rate / 60:.1f} min for all); verdicts {verdicts}")
    print(
        f"  ceiling (in-memory checks in one process, 1 / p50) {1 / check_p50:.1f} files/s: {rate * check_p50:.0%}"
    )
    print(f"  python {platform.python_version()} on {platform.machine()}; data in {data_dir}")
    print(
        f"  reproduce: {COMMAND} --signings {args.signings} --validations {args.validations} --stored {args.stored}"
    )
    return 0


def _recheck(signed: list[bytes], stored: int) -> tuple[str, float, dict[str, int]]:
    """Store ``stored`` files with a stale report each, then re-check them all."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from egov.signatures.models import ValidationReport

    rows = []
    for i in range(stored):
        data = signed[i % len(signed)]
        name = default_storage.save(f"bench-signed/{i:05d}.pdf", ContentFile(data))
        # Each stored name has its own report, as distinct files would.
        rows.append(ValidationReport(sha256=hashlib.sha256(data + i.to_bytes(4, "big")).hexdigest(),
                                     storage_name=name, trust_hash="stale"))  # fmt: skip
    ValidationReport.objects.bulk_create(rows, batch_size=1000)
    try:
        from egov.signatures import checks
    except ImportError:
        checks = None
    began = time.perf_counter()
    if checks is not None and hasattr(checks, "recheck"):
        result = checks.recheck()
        way = "egov.signatures.checks.recheck() (the worker's stored-check path)"
        rate = float(result["files_per_second"]) or stored / (time.perf_counter() - began)
    else:
        from django.utils import timezone

        from egov.signatures.validation import trust_hash, validate_pdf

        current = trust_hash()
        way = (
            "validate_pdf over each stored file, its ValidationReport saved (no egov.signatures.checks here)"
        )
        for report in ValidationReport.objects.filter(trust_hash="stale").iterator(chunk_size=500):
            with default_storage.open(report.storage_name, "rb") as handle:
                result = validate_pdf(handle.read())
            report.verdict, report.summary = result.verdict, result.summary[:1000]
            report.signatures, report.trust_hash, report.checked_at = (
                result.as_json(),
                current,
                timezone.now(),
            )
            report.save(update_fields=["verdict", "summary", "signatures", "trust_hash", "checked_at"])
        rate = stored / (time.perf_counter() - began)
    verdicts = dict(
        ValidationReport.objects.values_list("verdict").annotate(n=Count("pk")).values_list("verdict", "n")
    )
    return way, rate, verdicts


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
