"""The :class:`Appearance` of each visible signature, from the owner's newest active image:
the person's handwritten signature, the agency's seal, or the text stamp of attachments and
electronic copies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.orgs.models import Unit
from egov.signatures.errors import SignatureError
from egov.signatures.models import ImageKind, SignatureImage
from egov.signatures.selectors import active_image
from egov.signatures.signing import Appearance


@dataclass(frozen=True)
class ImageAppearance:
    """An image appearance and what placing it needs (its pixel size and printed width)."""

    appearance: Appearance
    image: SignatureImage

    @property
    def px(self) -> tuple[int, int]:
        return (self.image.width_px, self.image.height_px)


def _load(image: SignatureImage) -> ImageAppearance:
    with image.image.open("rb") as handle:
        data = handle.read()
    return ImageAppearance(Appearance(image=data), image)


def person_appearance(user: User) -> ImageAppearance:
    """The person's handwritten signature; a clear refusal when they have none."""
    image = active_image(kind=ImageKind.SIGNATURE, user=user)
    if image is None:
        raise SignatureError(
            _(
                "You have no handwritten signature image yet: upload it (a blue PNG on a transparent background) in your signing settings, then sign."
            )
        )
    return _load(image)


def seal_appearance(unit: Unit) -> ImageAppearance:
    """The agency's seal; a clear refusal when none is uploaded."""
    image = active_image(kind=ImageKind.SEAL, unit=unit)
    if image is None:
        raise SignatureError(
            _(
                "The agency “%(unit)s” has no seal image: its administrator must upload it before documents are signed."
            )
            % {"unit": unit.name}
        )
    return _load(image)


def iso_time(at: dt.datetime | None = None) -> str:
    """The signing time as the stamp shows it: ISO 8601 with the Vietnam offset (+07:00)."""
    return timezone.localtime(at or timezone.now()).isoformat(timespec="seconds")


def stamp_appearance(*lines: str, at: dt.datetime | None = None) -> Appearance:
    """A text stamp: the given lines (number/notation, or the copy form and agency), then the
    signing time."""
    return Appearance(text="\n".join([*(line for line in lines if line), iso_time(at)]))
