"""Errors of the signature services; their messages are for the user (Vietnamese)."""

from __future__ import annotations


class SignatureError(Exception):
    """Signing or checking cannot go on; nothing was changed. ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
