"""The competent person's signature made on their own device (token and vendor software): the
digest prepared here, the signature stored when it comes back (egov.signatures.remote)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.documents.errors import DocumentError
from egov.documents.models import (
    Document,
)
from egov.documents.services.signing import (
    _locked,
    _pdf_bytes,
    _person_placement,
    _refused,
    _store_person_signed,
)
from egov.documents.signing_state import last_draft, person_key
from egov.documents.workflow import Action, require
from egov.signatures import remote
from egov.signatures.errors import SignatureError
from egov.signatures.models import KeyBackend, PreparedSignature
from egov.signatures.remote import Prepared

# --- the person's signature made on their own device ----------------------------------------

DEVICE_KIND = "documents.person"


def document_sign_device_prepare(*, document: Document, by: Actor) -> Prepared:
    """For a person whose key is on their own device: the last draft version is prepared with
    their signature field and image, and the digest their token must sign is returned. Nothing
    of the document changes until the device's signature comes back (:func:`_device_signed`)."""
    document = Document.objects.select_related("issuer_unit", "drafting_unit").get(pk=document.pk)
    require(Action.SIGN, by, document)
    source = last_draft(document)
    if source is None:
        raise DocumentError(_("There is no draft version to sign."), field="file")
    key = person_key(by)
    if key is None or key.backend != KeyBackend.CLIENT:
        raise DocumentError(_("Your signing key is not on your own device."), field="key")
    data = _pdf_bytes(source)
    try:
        image, box = _person_placement(document, by, data)
        return remote.prepare(
            data=data,
            key=key,
            field_name=f"person-{by.pk}",
            box=box,
            appearance=image.appearance,
            reason=f"{document.signer_position} {document.signer_name}".strip(),
            by=by,
            target=f"{DEVICE_KIND}:{document.pk}:{source.pk}",
        )
    except SignatureError as exc:
        raise _refused(exc) from exc


def _device_signed(prepared: PreparedSignature, signed: bytes) -> None:
    """The device's signature came back (inside :func:`remote.complete`'s transaction): store
    the signed version as if signed here, or refuse when the document moved on meanwhile."""
    _kind, document_id, source_id = prepared.target.split(":")
    by = prepared.prepared_by
    document = _locked(Document(pk=int(document_id)))
    try:
        require(Action.SIGN, by, document)
    except DocumentError as exc:
        raise SignatureError(str(exc)) from exc
    current = last_draft(document)
    if current is None or current.pk != int(source_id):
        raise SignatureError(
            _("A new version was added meanwhile; open the document again and sign that one.")
        )
    with current.file.open("rb") as handle:
        source_bytes = bytes(handle.read())
    _store_person_signed(
        document=document, source=current, source_bytes=source_bytes, signed=signed, key=prepared.key, by=by
    )


def register_device_handler() -> None:
    """Called once at start-up (DocumentsConfig.ready)."""
    remote.register_completion(DEVICE_KIND, _device_signed)
