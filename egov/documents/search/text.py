"""Folding Vietnamese for diacritics- and case-insensitive search, and splitting into words.

Both engines index and query the same words: folded (NFD, combining marks dropped, đ → d,
lower case) and split on everything that is not a letter or digit, so "Quyết định 123/QĐ-UBND"
is ``quyet dinh 123 qd ubnd`` on PostgreSQL and SQLite alike."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
# A word longer than this is noise (a hash, a run of OCR garbage); PostgreSQL caps lexemes too.
MAX_WORD = 40


def fold(text: str) -> str:
    """'Quyết định Đất đai' -> 'quyet dinh dat dai' (spaces collapsed, punctuation kept)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, without punctuation."""
    return [w for w in _NOT_WORD.split(fold(text)) if w and len(w) <= MAX_WORD]


def notation_key(number: str, notation: str) -> str:
    """The folded look-up key of a number and notation: ``123/qd-ubnd``."""
    key = f"{number}/{notation}" if number else notation
    return fold(key).replace(" ", "")[:64]
