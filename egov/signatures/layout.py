"""Where the visible signatures go on a PDF (Decree 30, Annex I).

- The competent person's handwritten signature is centred horizontally on the printed name of
  the signature block on the last page, and vertically between the title line above it
  ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH") and the name. The block is found from the text positions of
  the last page (pypdf's text extraction with positions). When the name is not found, the
  image goes on the last page, in the right half: centred between the page's middle and the
  right margin (20 mm), 70 mm above the bottom edge (:func:`default_person_centre`).
- The agency's seal, at its real size, covers about the left third of the person's image: its
  right edge lies one third into the image, and it is centred vertically on the image.
- The text stamp of attachments and electronic copies sits top-right of page 1, in the top
  margin band and inside the right margin (:func:`stamp_box`).

Text widths are estimated (pypdf reports where a line starts, not where it ends): half an em
per character, which is within a few points for Times/Noto names of a signature block."""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from egov.signatures.signing import MM, Box, stamp_font

# Decree 30 margins: right 15–20 mm, top 20–25 mm; the stamp keeps inside the larger ones.
RIGHT_MARGIN = 20 * MM
STAMP_TOP = 4 * MM
STAMP_WIDTH = 80 * MM  # when the text is not known
STAMP_HEIGHT = 14 * MM
# pyHanko's text box keeps 10 pt around the text; lines are 12 pt apart (signing.py). A box
# smaller than that would scale the text down below 10 pt.
STAMP_PADDING = 22.0
STAMP_LEADING = 12.0
# Fallback when the signature block is not found: 70 mm above the bottom edge, right half.
DEFAULT_CENTRE_Y = 70 * MM
# Where nothing else bounds it, the person's image keeps to this width and height.
MAX_PERSON_WIDTH = 45 * MM
MAX_PERSON_HEIGHT = 28 * MM
EM_PER_CHAR = 0.5


@dataclass(frozen=True)
class TextLine:
    """A line of text on a page: where it starts (x), its baseline (y), its font size, all in
    PDF points from the bottom-left corner; ``width`` is estimated."""

    text: str
    x: float
    y: float
    size: float

    @property
    def width(self) -> float:
        return len(self.text) * self.size * EM_PER_CHAR

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class SignatureBlock:
    """The printed name's line and the title line just above it (None when not found)."""

    page: int
    page_width: float
    page_height: float
    name: TextLine | None
    title: TextLine | None


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def page_lines(data: bytes, page_index: int) -> tuple[list[TextLine], float, float, int]:
    """The text lines of a page (negative index counts from the end) and the page's size."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    index = page_index if page_index >= 0 else count + page_index
    page = reader.pages[index]
    box = page.mediabox
    chunks: list[TextLine] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        # The text matrix times the current transformation matrix gives the page position.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        for part in text.split("\n"):
            if part.strip():
                chunks.append(TextLine(part.strip(), float(x), float(y), float(size) * scale))

    page.extract_text(visitor_text=visit)
    # Chunks on one baseline (within a third of the font size) are one line, left to right.
    lines: list[TextLine] = []
    for chunk in sorted(chunks, key=lambda c: (-round(c.y), c.x)):
        last = lines[-1] if lines else None
        if last is not None and abs(last.y - chunk.y) < chunk.size / 3:
            lines[-1] = TextLine(f"{last.text} {chunk.text}", min(last.x, chunk.x), last.y, last.size)
        else:
            lines.append(chunk)
    return lines, float(box.width), float(box.height), index


def find_signature_block(data: bytes, *, signer_name: str, signer_position: str) -> SignatureBlock:
    """The signature block on the last page: the lowest line holding the signer's name and the
    nearest line above it holding (part of) the position."""
    lines, width, height, index = page_lines(data, -1)
    name_key = _norm(signer_name)
    position = _norm(signer_position)
    position_parts = [_norm(p) for p in signer_position.splitlines() if p.strip()]
    name = None
    if name_key:
        found = [line for line in lines if name_key in _norm(line.text)]
        name = min(found, key=lambda line: line.y) if found else None
    title = None
    if name is not None:
        above = [line for line in lines if line.y > name.y + name.size / 2]
        # A title line is part of the position ("PHÓ CHỦ TỊCH" of "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),
        # or holds one of its lines.
        titled = [
            line
            for line in above
            if (position and _norm(line.text) in position)
            or any(p in _norm(line.text) for p in position_parts)
        ]
        title = min(titled, key=lambda line: line.y) if titled else None
    return SignatureBlock(index, width, height, name, title)


def default_person_centre(width: float) -> tuple[float, float]:
    """Right half of the page: between its middle and the right margin, 70 mm up."""
    return ((width / 2 + (width - RIGHT_MARGIN)) / 2, DEFAULT_CENTRE_Y)


def _fit(image_px: tuple[int, int], width: float, max_height: float) -> tuple[float, float]:
    """The image's printed size: ``width`` wide, smaller if it would be taller than allowed."""
    w_px, h_px = image_px
    height = width * h_px / w_px
    if height > max_height:
        width, height = width * max_height / height, max_height
    return width, height


def person_box(
    data: bytes,
    *,
    signer_name: str,
    signer_position: str,
    image_px: tuple[int, int],
    width_mm: Decimal | float,
) -> Box:
    """The box of the person's signature image on the last page (see the module's notes)."""
    block = find_signature_block(data, signer_name=signer_name, signer_position=signer_position)
    wanted = min(float(width_mm) * MM, MAX_PERSON_WIDTH)
    if block.name is not None:
        name = block.name
        top_of_name = name.y + name.size * 0.8
        if block.title is not None:
            bottom_of_title = block.title.y - block.title.size * 0.25
            gap = max(bottom_of_title - top_of_name, name.size)
            cy = (bottom_of_title + top_of_name) / 2
        else:
            gap = MAX_PERSON_HEIGHT
            cy = top_of_name + gap / 2
        w, h = _fit(image_px, wanted, min(gap, MAX_PERSON_HEIGHT))
        cx = name.centre_x
    else:
        cx, cy = default_person_centre(block.page_width)
        w, h = _fit(image_px, wanted, MAX_PERSON_HEIGHT)
    # Never off the page.
    cx = min(max(cx, w / 2), block.page_width - w / 2)
    return Box(block.page, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_box(person: Box, *, image_px: tuple[int, int], width_mm: Decimal | float) -> Box:
    """The seal at its real size, its right part over the left third of the person's image,
    centred vertically on that image."""
    width = float(width_mm) * MM
    height = width * image_px[1] / image_px[0]
    right = person.x1 + (person.x2 - person.x1) / 3
    cy = (person.y1 + person.y2) / 2
    return Box(person.page, right - width, cy - height / 2, right, cy + height / 2)


@functools.lru_cache(maxsize=4)
def _advances(font: str) -> tuple[dict[int, int], int]:
    """The stamp font's advance widths by code point, and its units per em."""
    from fontTools.ttLib import TTFont

    ttf = TTFont(font, lazy=True)
    metrics = ttf["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in ttf.getBestCmap().items() if glyph in metrics}
    return widths, int(ttf["head"].unitsPerEm)


def text_width(text: str, size: float = 10) -> float:
    """The printed width of one line in the stamp font (points)."""
    font = stamp_font()
    if not font.is_file():
        return len(text) * size * 0.55
    widths, upm = _advances(str(font))
    fallback = widths.get(ord("n"), upm // 2)
    return sum(widths.get(ord(ch), fallback) for ch in unicodedata.normalize("NFC", text)) * size / upm


def stamp_box(data: bytes, text: str = "") -> Box:
    """Top-right of page 1: in the top margin band, its right edge on the right margin, as wide
    as the text needs (10 pt, plus the stamp's padding) so the text ends at the margin."""
    import pypdf

    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    longest = max((text_width(line) for line in text.splitlines()), default=0.0)
    wanted = longest + STAMP_PADDING if text else STAMP_WIDTH
    box_width = min(max(wanted, 30 * MM), width / 2 - RIGHT_MARGIN)
    lines = len(text.splitlines())
    box_height = lines * STAMP_LEADING + STAMP_PADDING if text else STAMP_HEIGHT
    x2 = width - RIGHT_MARGIN
    y2 = height - STAMP_TOP
    return Box(0, x2 - box_width, y2 - box_height, x2, y2)
