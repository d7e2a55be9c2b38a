"""Folding Vietnamese for diacritics- and case-insensitive search, and splitting into words.

Both engines index and query the same words: folded (diacritics dropped, đ → d, lower case) and
split on everything that is not a letter or digit, so "Quyết định 123/QĐ-UBND" is
``quyet dinh 123 qd ubnd`` on PostgreSQL and SQLite alike."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")
_SPACES = re.compile(r"\s+")
# A word longer than this is noise (a hash, a run of OCR garbage); PostgreSQL caps lexemes too.
MAX_WORD = 40


def _strip(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _table() -> dict[int, str | None]:
    """Every Latin letter with marks (Latin-1, Extended-A/B, Extended Additional: all of
    Vietnamese) mapped to its base letter, đ/Đ to d/D, and stray combining marks dropped: one
    ``str.translate`` instead of a Python loop over each character (the indexer folds whole
    files)."""
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370)}
    for lo, hi in ((0xC0, 0x250), (0x1E00, 0x1F00)):
        for cp in range(lo, hi):
            base = _strip(chr(cp))
            if base != chr(cp):
                table[cp] = base
    table.update({ord("đ"): "d", ord("Đ"): "D"})
    return table


_FOLD = _table()


def _fold(text: str) -> str:
    if text.isascii():  # already folded (a generator's text, most numbers and codes)
        return text.lower()
    return unicodedata.normalize("NFC", text).translate(_FOLD).lower()


def fold(text: str) -> str:
    """'Quyết định Đất đai' -> 'quyet dinh dat dai' (spaces collapsed, punctuation kept)."""
    return _SPACES.sub(" ", _fold(text)).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, without punctuation."""
    return [w for w in _WORD.findall(_fold(text)) if len(w) <= MAX_WORD]


def notation_key(number: str, notation: str) -> str:
    """The folded look-up key of a number and notation: ``123/qd-ubnd``."""
    key = f"{number}/{notation}" if number else notation
    return fold(key).replace(" ", "")[:64]
