"""Errors of the document services; their messages are for the clerk or the leader (Vietnamese)."""

from __future__ import annotations


class DocumentError(Exception):
    """A change that is not allowed or not valid; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WrongState(DocumentError):
    """The action exists but not in the object's present state (API: 422)."""


class ActionForbidden(DocumentError):
    """The actor may see the object but may not take this action on it (API: 403)."""
