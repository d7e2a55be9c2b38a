"""The types of who acts: services take an :data:`Actor` (a signed-in person, staff or citizen);
predicates and selectors that also answer for anonymous visitors take a :data:`Visitor`.

A service whose ``by`` is ``Actor | None`` is also run by the system itself (the scheduler, the
command line, the demo loader, a citizen's own sign-up): ``None`` is recorded as "the system" in
the audit trail. Views behind the login middleware take an :class:`AuthedRequest`."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from egov.accounts.models import User

Actor: TypeAlias = User
Visitor: TypeAlias = User | AnonymousUser


class AuthedRequest(HttpRequest):
    """A request that passed the login middleware (`LoginRequiredMiddleware`, the default for every
    page not marked `@login_not_required`): its user is signed in. Only a type: Django builds
    plain `HttpRequest` objects; annotating a view with this says what the middleware guarantees."""

    user: User


__all__ = ["Actor", "AuthedRequest", "Visitor"]
