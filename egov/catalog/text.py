"""Folding Vietnamese text for diacritics- and case-insensitive search (pure Python)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """'Đăng ký Khai sinh' -> 'dang ky khai sinh'. đ/Đ have no decomposition, so map them by hand."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()
