"""Registering an incoming document with a 5 MB scanned PDF through `entry_register` (both engines).

    uv run python bench/documents_register.py --runs 40
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench_register uv run python bench/documents_register.py --runs 40

Each run is what the clerk's form does after parsing: the upload as Django hands a file of that
size to a view (a temporary file on disk), then one call of
`egov.documents.services.entry_register` — the next arrival number, the document, the entry
with its statutory clock, the file checked by its content (type sniffing, markup scan, SHA-256)
and saved to the storage, and the audit row — in one transaction. The ceiling is the same
transaction without the file (metadata only)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from documents_common import engine, percentiles, setup


def scanned_pdf(size: int, seed: int) -> bytes:
    """A valid one-page PDF carrying ``size`` bytes of image data (what a scanner writes)."""
    rng = random.Random(seed)
    image = rng.randbytes(size).replace(b"endstream", b"endstreaX")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Im1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/XObject/Subtype/Image/Width 2480/Height 3508/ColorSpace/DeviceGray/BitsPerComponent 8"
        b"/Filter/DCTDecode/Length %d>>stream\n%s\nendstream" % (len(image), image),
        b"<</Length 35>>stream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _office() -> tuple[Any, Any, Any]:
    from egov.accounts import services as account_services
    from egov.accounts.models import Role, User
    from egov.documents.models import Register
    from egov.orgs import services as org_services
    from egov.orgs.models import Unit, UnitKind, UnitLevel

    unit = Unit.objects.filter(name="UBND tỉnh (benchmark tiếp nhận)").first() or org_services.unit_create(
        name="UBND tỉnh (benchmark tiếp nhận)", kind=UnitKind.PEOPLES_COMMITTEE, level=UnitLevel.PROVINCE,
        parent=None, by=None,
    )  # fmt: skip
    clerk = User.objects.filter(username="bench.vanthu").first()
    if clerk is None:
        clerk = User.objects.create(username="bench.vanthu", full_name="Văn thư (benchmark)")
        account_services.role_grant(user=clerk, unit=unit, role=Role.CLERK, by=None)
    register, _ = Register.objects.get_or_create(
        agency=unit, code="DEN", defaults={"kind": "incoming", "name": "Sổ văn bản đến (bench)"}
    )
    return unit, clerk, register


def _upload(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile(name, "application/pdf", len(content), None)
    upload.write(content)
    upload.seek(0)
    return upload


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-register"))
    args = parser.parse_args()
    setup(args.data_dir)
    from django.utils import timezone

    from egov.documents.models import Entry
    from egov.documents.services import DocumentIn, entry_register

    unit, clerk, register = _office()
    first = Entry.objects.filter(register=register).count() + 1000
    content = scanned_pdf(int(args.mb * 1024 * 1024), seed=1)
    results: dict[str, list[float]] = {"metadata only (ceiling)": [], f"with a {args.mb:g} MB scan": []}
    for i in range(args.runs + 1):  # the first is a warm-up (calendars, connections)
        for label, with_file in zip(results, (False, True), strict=True):
            meta = DocumentIn(
                doc_type="CV", subject=f"V/v thử nghiệm tiếp nhận văn bản {i} {with_file}", issuer_name="Bộ Nội vụ",
                number=str(first + i * 2 + with_file), notation="BNV-CCVC",
                issued_on=timezone.localdate() - dt.timedelta(days=1),
            )  # fmt: skip
            upload = _upload(content, f"scan-{i}.pdf") if with_file else None
            started = time.perf_counter()
            entry_register(
                agency=unit, register=register, meta=meta, medium="paper", by=clerk, main_file=upload
            )
            if i:
                results[label].append((time.perf_counter() - started) * 1000)
            if upload is not None:  # the storage moved the temporary file into place
                with contextlib.suppress(FileNotFoundError):
                    upload.close()
    print(f"incoming registration through entry_register ({engine()}), {args.runs} runs; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for label, timings in results.items():
        r = percentiles(timings)
        print(f"  {label:<26} p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  max {r['max']:7.1f} ms")
    prefix = "EGOV_DATABASE_URL=… " if os.environ.get("EGOV_DATABASE_URL") else ""
    print(
        f"  reproduce: {prefix}uv run python bench/documents_register.py --runs {args.runs} --mb {args.mb:g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
