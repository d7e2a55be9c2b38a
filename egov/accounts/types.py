"""The types of who acts: services take an :data:`Actor` (a signed-in person, staff or citizen);
predicates and selectors that also answer for anonymous visitors take a :data:`Visitor`."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from egov.accounts.models import User

Actor: TypeAlias = User
Visitor: TypeAlias = User | AnonymousUser

__all__ = ["Actor", "Visitor"]
