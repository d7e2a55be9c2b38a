"""Text hygiene for everything typed in: one function, applied at the edge (the request middleware
for forms and query strings, the API's string types in ``egov.core.schema`` for JSON).

Why: PostgreSQL refuses NUL in text (a 500 instead of an answer); names typed in decomposed
Unicode (NFD, as some phones and Mac keyboards send Vietnamese) are not found by a composed (NFC)
search; bidi overrides and zero-width characters let a name look like another one."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab, newline and carriage return; DEL; bidi embeddings, overrides and
# isolates; zero-width space/joiners, word joiner, BOM. Soft hyphen and the like are left alone.
_INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200d\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    # Lone surrogates (a JSON "\\ud800" decodes to one) cannot be encoded for the database.
    "\ud800-\udfff"
)
_DROP = re.compile(f"[{_INVISIBLE}]")
# Line breaks and tabs become one space where only one line is allowed.
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029\x85]+")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """NFC-normalised ``value`` without NUL, control and invisible formatting characters.

    With ``multiline=False`` tabs and line breaks become a single space (names, codes, numbers)."""
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    # Drop before normalising: a zero-width joiner between a letter and its combining mark
    # would otherwise keep the pair from composing.
    return unicodedata.normalize("NFC", _DROP.sub("", value))


def is_clean(value: str) -> bool:
    return clean_text(value) == value
