"""Signing a dossier's result (kết quả giải quyết TTHC điện tử).

Two signatures, in order, each a new immutable :class:`DossierFile` of kind ``result`` (the
version signed before is kept):

1. After the decision, **the competent person** — the leader (or head of division) whose step
   records the decision, :func:`egov.dossiers.workflow.deciding_order` — signs the result PDF
   with their handwritten-signature image, placed in the lower right of the last page.
2. When the result is **released**, the resolving agency's **clerk** applies the agency's
   signature with its seal (real size, over the left third of the person's image). Release is
   the clerk's step between the decision and the counter's hand-back (Action.SEAL_RESULT in
   the workflow table); the portal offers the applicant only released versions (see
   :func:`released_results`).

Which version is which is told by the signing log (:class:`SigningRecord`): a file whose
SHA-256 is the source of a later signature of this dossier's results is superseded.

Each signature is audited (``AuditEvent.DOCUMENT_SIGNED``) and logged in the same transaction;
signing the same result twice changes nothing. Never called from a GET."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.dossiers.errors import DossierError
from egov.dossiers.models import Dossier, DossierFile, FileKind
from egov.dossiers.services.common import _locked, dossier_attach_file
from egov.dossiers.workflow import Action, require
from egov.orgs.models import Unit
from egov.signatures.selectors import active_image, active_key

PERSON_FIELD = "ky-nguoi-co-tham-quyen"
AGENCY_FIELD = "ky-co-quan"
MM = 72 / 25.4
# Lower right of the last page: the person's image 40 mm wide, its centre 55 mm from the right
# edge and 60 mm from the bottom (where the signature block of a one-page result falls).
PERSON_WIDTH_MM = Decimal("40")
PERSON_FROM_RIGHT_MM = 55
PERSON_FROM_BOTTOM_MM = 60
SEAL_WIDTH_MM = Decimal("36")


@dataclass(frozen=True)
class ResultVersion:
    """A result file and what the signing log says of it."""

    file: DossierFile
    person_signed: bool
    agency_signed: bool
    superseded: bool


def _records(dossier: Dossier) -> list[Any]:
    from egov.signatures.models import SigningRecord

    targets = [f"{DossierFile._meta.label}:{pk}" for pk in dossier.files.values_list("pk", flat=True)]
    return list(SigningRecord.objects.filter(target__in=targets))


def result_versions(dossier: Dossier) -> list[ResultVersion]:
    """Every result file of the dossier, oldest first, with its signing state."""
    from egov.signatures.models import SignatureKind

    records = _records(dossier)
    sources = {r.source_sha256 for r in records}
    kinds: dict[str, set[str]] = {}
    for r in records:
        kinds.setdefault(r.result_sha256, set()).add(r.kind)
    out = []
    for f in dossier.files.filter(kind=FileKind.RESULT).order_by("created_at", "pk"):
        # A version signed by the agency was signed by the person before it.
        own = kinds.get(f.sha256, set())
        agency = SignatureKind.AGENCY in own
        person = agency or SignatureKind.PERSON in own
        out.append(ResultVersion(f, person, agency, f.sha256 in sources))
    return out


def current_results(dossier: Dossier) -> list[ResultVersion]:
    """The newest version of each result (those no later signature replaced)."""
    return [v for v in result_versions(dossier) if not v.superseded]


def released_results(dossier: Dossier) -> list[DossierFile]:
    """What the applicant may download: the newest version of each result, unless the
    competent person has signed it and the agency's signature is still to come."""
    return [v.file for v in current_results(dossier) if v.agency_signed or not v.person_signed]


def has_unsigned_result(dossier: Dossier) -> bool:
    return any(
        v.file.content_type == "application/pdf" and not v.person_signed for v in current_results(dossier)
    )


def has_result_to_seal(dossier: Dossier) -> bool:
    return any(v.person_signed and not v.agency_signed for v in current_results(dossier))


def _require_who(action: Action, by: Actor, dossier: Dossier) -> None:
    from egov.dossiers.errors import ActionForbidden
    from egov.dossiers.workflow import RULES

    if not RULES[action].allowed(by, dossier):
        raise ActionForbidden(_("You may not do this on this dossier."))


def signing_agency(unit: Unit) -> Unit:
    """The agency whose key and seal sign for ``unit``: the unit or its nearest ancestor that
    has an active signing key (a division signs with its committee's or department's key)."""
    from egov.signatures.models import SigningKey

    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    having = set(SigningKey.objects.filter(unit_id__in=ids, is_active=True).values_list("unit_id", flat=True))
    for pk in reversed(ids):
        if pk in having:
            return Unit.objects.get(pk=pk)
    return unit


def person_box(data: bytes, image_px: tuple[int, int]) -> Any:
    """The person's image: lower right of the last page."""
    from egov.signatures.pdf import read_pdf
    from egov.signatures.signing import image_box

    reader = read_pdf(data)
    width, _height = _page_size(reader, int(reader.root["/Pages"]["/Count"]) - 1)
    centre = (width - PERSON_FROM_RIGHT_MM * MM, PERSON_FROM_BOTTOM_MM * MM)
    return image_box(image_px=image_px, width_mm=PERSON_WIDTH_MM, centre=centre, page=-1)


def _page_size(reader: Any, index: int) -> tuple[float, float]:
    page_ref, _resources = reader.find_page_for_modification(index)
    node = page_ref.get_object()
    while "/MediaBox" not in node and "/Parent" in node:  # inherited from the page tree
        node = node["/Parent"]
    x1, y1, x2, y2 = (float(v) for v in node.get("/MediaBox", (0, 0, 595.28, 841.89)))
    return (x2 - x1, y2 - y1)


def signed_person_box(data: bytes) -> Any:
    """Where the competent person's image is on a signed result (its signature field's rectangle)."""
    from egov.signatures.pdf import read_pdf
    from egov.signatures.signing import Box

    reader = read_pdf(data)
    for embedded in reader.embedded_signatures:
        if embedded.field_name != PERSON_FIELD:
            continue
        rect = embedded.sig_field.get("/Rect")
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            return Box(-1, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    return None


def seal_box(person: Any, image_px: tuple[int, int]) -> Any:
    """The seal at its real size over the left third of the person's image."""
    from egov.signatures.signing import image_box

    seal_w = float(SEAL_WIDTH_MM) * MM
    cx = person.x1 + (person.x2 - person.x1) / 3 - seal_w / 2
    cy = (person.y1 + person.y2) / 2
    return image_box(image_px=image_px, width_mm=SEAL_WIDTH_MM, centre=(cx, cy), page=person.page)


def _image_bytes(image: Any) -> bytes:
    with image.image.open("rb") as fh:
        return bytes(fh.read())


def _read(f: DossierFile) -> bytes:
    with f.file.open("rb") as fh:
        return bytes(fh.read())


def _signed_name(name: str) -> str:
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.removesuffix(" (đã ký số)")
    return f"{stem} (đã ký số).pdf"[:255]


def _store(dossier: Dossier, source: DossierFile, data: bytes, by: Actor) -> DossierFile:
    upload = ContentFile(data, name=_signed_name(source.name))
    return dossier_attach_file(dossier=dossier, upload=upload, kind=FileKind.RESULT, by=by)


def _sign(
    *, dossier: Dossier, source: DossierFile, kind: str, key: Any, image: Any, box: Any, by: Actor
) -> DossierFile:
    from egov.signatures.errors import SignatureError
    from egov.signatures.keys import signer_for
    from egov.signatures.services import signing_record_add
    from egov.signatures.signing import Appearance, sign_pdf

    data = _read(source)
    field = PERSON_FIELD if kind == "person" else AGENCY_FIELD
    try:
        signed = sign_pdf(
            data=data,
            signer=signer_for(key),
            field_name=field,
            box=box,
            appearance=Appearance(image=_image_bytes(image)) if image is not None else None,
            reason=_("Result of dossier %(code)s") % {"code": dossier.code},
        )
    except SignatureError as exc:
        raise DossierError(str(exc)) from exc
    stored = _store(dossier, source, signed, by)
    signing_record_add(kind=kind, key=key, by=by, target=stored, source=data, result=signed)  # type: ignore[arg-type]
    audit_record(
        event=AuditEvent.DOCUMENT_SIGNED,
        actor=by,
        target=dossier,
        scope_path=dossier.receiving_unit.path,
        after={
            "kind": kind,
            "key": key.pk,
            "file": stored.pk,
            "source_sha256": source.sha256,
            "sha256": hashlib.sha256(signed).hexdigest(),
        },
    )
    return stored


@transaction.atomic
def dossier_result_sign(*, dossier: Dossier, by: Actor) -> list[DossierFile]:
    """The competent person signs every result not yet signed; returns the signed versions
    (none when all are signed already)."""
    from egov.signatures.models import ImageKind, SignatureKind

    dossier = _locked(dossier)
    current = current_results(dossier)
    todo = [v.file for v in current if not v.person_signed and v.file.content_type == "application/pdf"]
    if not todo and any(v.person_signed for v in current):
        _require_who(Action.SIGN_RESULT, by, dossier)
        return []  # signed already: a second click changes nothing
    require(Action.SIGN_RESULT, by, dossier)
    key = active_key(user=by, on_server=True)
    if key is None:
        raise DossierError(_("You have no signing key in use; ask the administrator to register one."))
    image = active_image(kind=ImageKind.SIGNATURE, user=by)
    if image is None:
        raise DossierError(_("Upload your handwritten-signature image before signing."))
    out = []
    for f in todo:
        box = person_box(_read(f), (image.width_px, image.height_px))
        out.append(
            _sign(dossier=dossier, source=f, kind=SignatureKind.PERSON, key=key, image=image, box=box, by=by)
        )
    return out


@transaction.atomic
def dossier_result_seal(*, dossier: Dossier, by: Actor) -> list[DossierFile]:
    """The resolving agency's clerk applies the agency's signature and seal to every result the
    competent person has signed; returns the released versions (none when done already)."""
    from egov.signatures.models import ImageKind, SignatureKind

    dossier = _locked(dossier)
    current = current_results(dossier)
    todo = [v.file for v in current if v.person_signed and not v.agency_signed]
    if not todo and any(v.agency_signed for v in current):
        _require_who(Action.SEAL_RESULT, by, dossier)
        return []  # released already: a second click changes nothing
    require(Action.SEAL_RESULT, by, dossier)
    agency = signing_agency(dossier.resolving_unit)
    key = active_key(unit=agency, on_server=True)
    if key is None:
        raise DossierError(
            _("%(agency)s has no signing key in use; ask the administrator to register one.")
            % {"agency": agency.name}
        )
    seal = active_image(kind=ImageKind.SEAL, unit=agency)
    out = []
    for f in todo:
        data = _read(f)
        person = signed_person_box(data) or person_box(data, (5, 2))
        box = seal_box(person, (seal.width_px, seal.height_px) if seal is not None else (1, 1))
        out.append(
            _sign(dossier=dossier, source=f, kind=SignatureKind.AGENCY, key=key, image=seal, box=box, by=by)
        )
    return out
