"""Errors of the dossier services; their messages are for the clerk or the citizen (Vietnamese)."""

from __future__ import annotations


class DossierError(Exception):
    """A transition that is not allowed; the message is for the clerk (Vietnamese)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WrongState(DossierError):
    """The action exists but not in the dossier's present state (API: 422)."""


class ActionForbidden(DossierError):
    """The actor may see the dossier but may not take this action on it (API: 403)."""
