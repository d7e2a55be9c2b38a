"""Shared steps of the signing tests: a Decree 30 style PDF with a signature block, test PNGs made
with Pillow (a blue scribble, a red ring seal), keys from the test PKI, rendering with pdftoppm."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from egov.documents import services
from egov.documents.models import Document
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.drafting_helpers import draft
from egov.signatures.models import ImageKind, SignatureImage, SigningKey
from egov.signatures.services import signing_key_add_pkcs12
from egov.signatures.testing import TestPki

POSITION = "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
NAME = "Nguyễn Văn An"


def decree30_pdf(pages: int = 2) -> bytes:
    """An A4 document whose last page ends in a signature block: title lines, space, name."""
    from weasyprint import HTML

    filler = "".join(f"<p>Điều {i}. Nội dung thử nghiệm của văn bản.</p>" for i in range(1, 4))
    breaks = '<p style="page-break-after:always">Trang trước.</p>' * (pages - 1)
    html = f"""<style>@page{{size:A4;margin:20mm 15mm 20mm 30mm}}
    body{{font-family:'Noto Serif';font-size:13pt}} .sig{{margin-left:50%;text-align:center}}
    .gap{{height:30mm}}</style>
    {breaks}<p>QUYẾT ĐỊNH về việc thử nghiệm</p>{filler}
    <div class=sig><b>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH</b><div class=gap></div><b>{NAME}</b></div>"""
    return bytes(HTML(string=html).write_pdf())


def attachment_pdf() -> bytes:
    from weasyprint import HTML

    return bytes(
        HTML(
            string="<style>@page{size:A4;margin:25mm 20mm 20mm 30mm}</style><h1>Phụ lục</h1><p>Danh sách.</p>"
        ).write_pdf()
    )


def png_signature() -> bytes:
    """A blue scribble on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(30, 150), (120, 40), (180, 160), (260, 50), (370, 140)], fill=(20, 40, 220, 255), width=14)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_seal() -> bytes:
    """A red ring on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, 390, 390], outline=(220, 20, 20, 255), width=30)
    draw.ellipse([90, 90, 310, 310], outline=(220, 20, 20, 255), width=12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_image(*, kind: ImageKind, data: bytes, width_mm: str, **owner: Any) -> SignatureImage:
    from PIL import Image

    w, h = Image.open(io.BytesIO(data)).size
    image = SignatureImage(
        kind=kind,
        width_px=w,
        height_px=h,
        width_mm=Decimal(width_mm),
        uploaded_at=timezone.now(),
        sha256="0" * 64,
        **owner,
    )
    image.image.save(f"{kind}.png", ContentFile(data), save=False)
    image.save()
    return image


def add_key(pki: TestPki, label: str, **owner: Any) -> SigningKey:
    return signing_key_add_pkcs12(
        label=label, pkcs12=pki.pkcs12(label, b"pw"), passphrase=b"pw", by=None, **owner
    )


@dataclass
class Signing:
    office: Office
    document: Document

    @property
    def leader(self) -> Any:
        return self.office.committee.leader

    @property
    def clerk(self) -> Any:
        return self.office.committee.clerk


def approved_with_block(office: Office, content: bytes | None = None, **overrides: Any) -> Document:
    """An approved draft whose version is a PDF with a signature block; the leader approves last."""
    c = office.committee
    document = draft(office, signer_position=POSITION, signer_name=NAME, recipients=[], **overrides)
    services.draft_version_add(
        document=document, upload=pdf_upload("du-thao.pdf", content or decree30_pdf()), by=c.specialist
    )
    services.draft_submit_review(document=document, by=c.specialist)
    services.review_approve(document=document, by=c.head)
    services.review_approve(document=document, by=c.leader)
    document.refresh_from_db()
    return document


def equip(office: Office, pki: TestPki, *, agency: bool = True, person_label: str = "person") -> None:
    """The leader's key and handwritten signature; the committee's key and seal."""
    c = office.committee
    add_key(pki, person_label, user=c.leader)
    add_image(kind=ImageKind.SIGNATURE, data=png_signature(), width_mm="40", user=c.leader)
    if agency:
        add_key(pki, "agency", unit=c.unit)
        add_image(kind=ImageKind.SEAL, data=png_seal(), width_mm="36", unit=c.unit)


def render(data: bytes, tmp: Path, page: int = 1) -> Any:
    """Page ``page`` at 72 dpi (1 px = 1 pt) as an RGB Pillow image."""
    from PIL import Image

    source = tmp / "in.pdf"
    source.write_bytes(data)
    command = [
        "pdftoppm",
        "-r",
        "72",
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        str(source),
        str(tmp / "out"),
    ]
    subprocess.run(command, check=True)  # noqa: S603 — poppler's own tool on our file
    (png,) = sorted(tmp.glob("out*.png"))
    image = Image.open(png).convert("RGB")
    keep = os.environ.get("EGOV_SCREENSHOT_DIR")
    if keep:  # to look at the signed pages by eye
        Path(keep).mkdir(parents=True, exist_ok=True)
        image.save(Path(keep) / f"signing-{tmp.name}-{hashlib.sha256(data).hexdigest()[:8]}.png")
    png.unlink()
    return image


def pixels(image: Any, test: Any) -> list[tuple[int, int]]:
    w, h = image.size
    data = image.load()
    return [(x, y) for y in range(h) for x in range(w) if test(*data[x, y])]


def is_blue(r: int, g: int, b: int) -> bool:
    return b > 150 and r < 110 and g < 130


def is_red(r: int, g: int, b: int) -> bool:
    return r > 150 and g < 90 and b < 90


def is_dark(r: int, g: int, b: int) -> bool:
    return r < 110 and g < 110 and b < 110


def pdffonts(data: bytes, tmp: Path) -> str:
    source = tmp / "fonts.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdffonts", str(source)], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
