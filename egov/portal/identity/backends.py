"""Sign-in with a phone number or e-mail written any usual way, for citizen accounts only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from egov.accounts.models import AccountKind, User


class CitizenIdentifierBackend(ModelBackend):
    """Citizens' usernames are their normalised phone (+84…) or lower-case e-mail; this backend
    accepts ``0912 345 678`` or ``An@Mail.vn`` for them. Staff accounts are never matched here."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from egov.portal.identity.identifiers import IdentityError, identifier_parse

        if not username or password is None:
            return None
        try:
            ident = identifier_parse(username)
        except IdentityError:
            return None
        if ident.username == username:
            return None  # ModelBackend has already tried exactly this name
        user = User.objects.filter(username=ident.username, kind=AccountKind.CITIZEN).first()
        if user is None:
            User().set_password(password)  # same work as a wrong password (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
