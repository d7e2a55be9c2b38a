"""Putting a PAdES signature on a PDF with pyHanko: visible (an image, or a text stamp) or not,
timestamped by the configured RFC 3161 authority (PAdES B-T), with validation data embedded
for long-term records (B-LT) and a document timestamp over everything (B-LTA).

Every signature is an incremental update: the bytes signed before stay byte for byte, which
is what lets the competent person's signature stay valid under the agency's."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.signatures.errors import SignatureError
from egov.signatures.pdf import read_pdf

MM = 72 / 25.4


class Level(TextChoices):
    """PAdES baseline levels egov produces."""

    B_B = "B-B", gettext_lazy("PAdES B-B (no timestamp)")
    B_T = "B-T", gettext_lazy("PAdES B-T (timestamped)")
    B_LT = "B-LT", gettext_lazy("PAdES B-LT (validation data embedded)")
    B_LTA = "B-LTA", gettext_lazy("PAdES B-LTA (archive timestamp)")


@dataclass(frozen=True)
class Box:
    """Where a visible signature goes: page index (negative counts from the end) and the
    rectangle in PDF points from the page's bottom-left corner."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


@dataclass(frozen=True)
class Appearance:
    """What a visible signature shows: a PNG (handwritten signature, seal), or a text stamp."""

    image: bytes | None = None
    text: str | None = None


def stamp_font() -> Path:
    """The font of text stamps: Noto (units-per-em 1000, which pyHanko lays out correctly)."""
    return Path(getattr(settings, "EGOV_STAMP_FONT", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"))


def tsa_url() -> str:
    return str(getattr(settings, "EGOV_SIGNING_TSA_URL", "") or "")


def _style(appearance: Appearance) -> Any:
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.stamp import StaticStampStyle, TextStampStyle

    if appearance.image is not None:
        from PIL import Image

        image = Image.open(io.BytesIO(appearance.image))
        image.load()
        return StaticStampStyle(
            background=PdfImage(image),
            background_opacity=1,
            border_width=0,
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins(0, 0, 0, 0)
            ),
        )
    if appearance.text is not None:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        from pyhanko.pdf_utils.text import TextBoxStyle

        font = stamp_font()
        if not font.is_file():
            raise SignatureError(_("The stamp font is not installed on this server (fonts-noto-core)."))
        return TextStampStyle(
            stamp_text=appearance.text.replace("%", "%%"),
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font)), font_size=10, leading=12),
            border_width=0,
            background=None,
        )
    return None


def image_box(
    *, image_px: tuple[int, int], width_mm: Decimal | float, centre: tuple[float, float], page: int
) -> Box:
    """A box ``width_mm`` wide with the image's proportions, centred on ``centre`` (points)."""
    width = float(width_mm) * MM
    height = width * image_px[1] / image_px[0]
    cx, cy = centre
    return Box(page, cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def writer_with_field(data: bytes, *, field_name: str, box: Box | None) -> Any:
    """An incremental writer over ``data`` with the visible signature field in ``box`` added
    (none for an invisible signature: pyHanko adds it when signing)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if box is not None:
        pages = int(writer.root["/Pages"]["/Count"])
        page = box.page if box.page >= 0 else pages + box.page
        if not 0 <= page < pages:
            raise SignatureError(_("The signature's page is not in the document."))
        fields.append_signature_field(
            writer, sig_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box.as_tuple())
        )
    return writer


def validation_context_for_signing() -> Any:
    """The context used to gather validation data for B-LT: the configured trust roots and the
    revocation data on hand, fetching what is missing."""
    from egov.signatures.validation import validation_context

    return validation_context(fetch=True)


def sign_pdf(
    *,
    data: bytes,
    signer: Any,
    field_name: str,
    box: Box | None = None,
    appearance: Appearance | None = None,
    reason: str = "",
    location: str = "",
    level: Level = Level.B_T,
) -> bytes:
    """``data`` with one more signature, as an incremental update; raise :class:`SignatureError`
    when the PDF cannot be signed (nothing is written anywhere)."""
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.general import SigningError

    reader = read_pdf(data)
    if field_name in {s.field_name for s in reader.embedded_signatures}:
        raise SignatureError(_("The document already carries this signature."))
    writer = writer_with_field(data, field_name=field_name, box=box)
    url = tsa_url()
    timestamper = timestamps.HTTPTimeStamper(url, timeout=15) if url and level != Level.B_B else None
    lt = level in (Level.B_LT, Level.B_LTA)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=lt,
        use_pades_lta=level == Level.B_LTA and timestamper is not None,
        validation_context=validation_context_for_signing() if lt else None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        stamp_style=_style(appearance) if appearance else None,
    )
    try:
        out = pdf_signer.sign_pdf(writer, bytes_reserved=16384 if lt else 12288)
    except SigningError as exc:
        raise SignatureError(_("The document could not be signed: %(reason)s") % {"reason": exc}) from exc
    except OSError as exc:
        raise SignatureError(
            _("The time-stamping authority or the signing service did not answer; try again in a moment.")
        ) from exc
    return bytes(out.getvalue())
