"""The demo's signature images, drawn with Pillow at load time (no image is shipped): a blue
handwritten-looking signature of a leader's name and a red round seal of an agency."""

from __future__ import annotations

import functools
import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

DEMO_ROOT_NAME = "egov DEMO Root CA - chi de thu, khong dung cho van ban that"
DEMO_ROOT_LABEL = "Gốc tin cậy DEMO của egov (chỉ để thử, không dùng cho văn bản thật)"
PKI_DIRNAME = "demo-pki"
STATE_FILE = "demo-pki.json"
RESULTS_PER_AGENCY = 2  # resolved one-stop dossiers per demo agency that get a signed result
SIGNATURE_WIDTH_MM = Decimal("40")
SEAL_WIDTH_MM = Decimal("36")

BLUE = (21, 48, 160, 255)
RED = (208, 16, 24, 255)
FONTS = Path("/usr/share/fonts/truetype/noto")


@functools.lru_cache(maxsize=16)
def _font(name: str, size: int) -> Any:
    from PIL import ImageFont

    path = FONTS / name
    return ImageFont.truetype(str(path), size) if path.is_file() else ImageFont.load_default(size)


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def signature_png(name: str) -> bytes:
    """A blue, handwritten-looking signature of ``name`` on a transparent background: the
    name in Noto Serif Italic, slanted a little, with a flourish under it."""
    from PIL import Image, ImageDraw

    font = _font("NotoSerif-Italic.ttf", 88)
    left, top, right, bottom = font.getbbox(name)
    width, height = right - left + 80, bottom - top + 90
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.text((40 - left, 20 - top), name, font=font, fill=BLUE)
    # The flourish: a shallow wave from under the first letter to past the last.
    y0 = 20 + (bottom - top) + 22
    points = [
        (
            30 + x,
            y0 - 14 * math.sin(math.pi * x / (width - 60)) + 6 * math.sin(6 * math.pi * x / (width - 60)),
        )
        for x in range(0, width - 60, 6)
    ]
    draw.line(points, fill=BLUE, width=5, joint="curve")
    image = image.rotate(4, resample=Image.Resampling.BICUBIC, expand=True)
    return _png(image.crop(image.getbbox()))


def _text_on_ring(image: Any, text: str, *, radius: float, font: Any, start: float, end: float) -> None:
    """``text`` along the upper arc from angle ``start`` to ``end`` (degrees, 0 = top, clockwise),
    letters upright towards the centre."""
    from PIL import Image, ImageDraw

    cx, cy = image.width / 2, image.height / 2
    steps = max(len(text) - 1, 1)
    for i, char in enumerate(text):
        if char == " ":
            continue
        angle = start + (end - start) * i / steps
        box = font.getbbox(char)
        glyph = Image.new("RGBA", (box[2] + 8, font.size + 24), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 4), char, font=font, fill=RED)
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True)
        x = cx + radius * math.sin(math.radians(angle)) - glyph.width / 2
        y = cy - radius * math.cos(math.radians(angle)) - glyph.height / 2
        image.alpha_composite(glyph, (round(x), round(y)))


def seal_png(name: str, size: int = 600) -> bytes:
    """A red round seal of the agency: two rings, the agency's name along the ring, a star in
    the middle, and DEMO under it (printed 36 mm wide)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    outer, inner = c - 6, c * 0.68
    draw.ellipse((c - outer, c - outer, c + outer, c + outer), outline=RED, width=14)
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=RED, width=5)
    text = name.upper()
    font = _font("NotoSans-Bold.ttf", max(22, min(46, int(1500 / max(len(text), 1)))))
    _text_on_ring(image, text, radius=(outer + inner) / 2 - 4, font=font, start=-125, end=125)
    star_r = inner * 0.45
    points = []
    for k in range(10):
        r = star_r if k % 2 == 0 else star_r * 0.4
        a = math.radians(-90 + 36 * k)
        points.append((c + r * math.cos(a), c - inner * 0.08 + r * math.sin(a)))
    draw.polygon(points, fill=RED)
    demo = _font("NotoSans-Bold.ttf", 40)
    width = draw.textlength("DEMO", font=demo)
    draw.text((c - width / 2, c + inner * 0.45), "DEMO", font=demo, fill=RED)
    return _png(image)
