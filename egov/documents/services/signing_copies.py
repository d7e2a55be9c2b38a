"""Electronic copies (sao y điện tử) signed by the copying agency with a text stamp."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.documents.errors import DocumentError
from egov.documents.models import (
    CopyForm,
    Document,
    DocumentFile,
    ElectronicCopy,
    FileRole,
)
from egov.documents.permissions import is_clerk_of
from egov.documents.selectors import profile_for
from egov.documents.services.signing import (
    _locked,
    _log,
    _pdf_bytes,
    _refused,
    _signed_name,
    _stamped,
    _store,
)
from egov.documents.signing_state import agency_key
from egov.documents.workflow import Action, holding_agencies, require
from egov.orgs.models import Unit
from egov.signatures.errors import SignatureError
from egov.signatures.models import SignatureKind

PDF = "application/pdf"
COPY_LABELS = {CopyForm.SAO_Y: "SAO Y", CopyForm.SAO_LUC: "SAO LỤC", CopyForm.TRICH_SAO: "TRÍCH SAO"}
COPY_ABBREVIATIONS = {CopyForm.SAO_Y: "SY", CopyForm.SAO_LUC: "SL", CopyForm.TRICH_SAO: "TS"}


# --- electronic copies (sao y điện tử) ------------------------------------------------------------


def copy_agency(document: Document, by: Actor) -> Unit:
    """The agency making the copy: the first agency holding the document whose clerk ``by`` is."""
    for agency in sorted(holding_agencies(document), key=lambda a: a.pk):
        if is_clerk_of(by, agency):
            return agency
    raise DocumentError(_("You may not do this on this document."))


def _copy_notation(form: str, agency: Unit) -> str:
    from egov.documents.services.common import _fallback_abbreviation

    abbreviation = profile_for(agency).abbreviation or _fallback_abbreviation(agency)
    return f"{COPY_ABBREVIATIONS[CopyForm(form)]}-{abbreviation}"[:30]


def _next_copy_number(agency: Unit, year: int) -> int:
    last = ElectronicCopy.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"]
    return int(last or 0) + 1


def _copy_source(document: Document) -> DocumentFile:
    main = document.files.filter(role=FileRole.MAIN).order_by("-version", "-pk").first()
    if main is None:
        raise DocumentError(_("The document has no main text to copy."), field="file")
    return main


def _copy_lines(form: str, agency: Unit, number: int, notation: str) -> list[str]:
    # Printed on the copy: Vietnamese whatever the clerk's language.
    return [f"{COPY_LABELS[CopyForm(form)]} – {agency.name}", f"Số: {number:02d}/{notation}"]


# long: one copy: sign outside the transaction, then re-check, number, store and log inside it
def document_copy(*, document: Document, by: Actor, form: str = CopyForm.SAO_Y) -> ElectronicCopy:
    """An electronic copy of an issued or received document, signed by the clerk's agency with
    a text stamp (copy form and agency, the copy's number, the signing time). Copies are
    numbered per agency and year from 1."""
    if form not in CopyForm.values:
        raise DocumentError(_("Choose the form of the copy."), field="form")
    document = Document.objects.select_related("issuer_unit").get(pk=document.pk)
    require(Action.COPY, by, document)
    agency = copy_agency(document, by)
    key = agency_key(agency)
    if key is None:
        raise DocumentError(
            _(
                "The agency “%(unit)s” has no signing key in use: an electronic copy needs the agency's signature."
            )
            % {"unit": agency.name},
            field="key",
        )
    source = _copy_source(document)
    data = _pdf_bytes(source)
    year = timezone.localdate().year
    notation = _copy_notation(form, agency)

    def sign(number: int) -> bytes:
        return _stamped(
            key=key,
            data=data,
            lines=_copy_lines(form, agency, number, notation),
            field_name=f"copy-{agency.pk}-{year}-{number}",
            reason=f"{COPY_LABELS[CopyForm(form)]} {document.number_notation or document.subject[:80]}",
            location=agency.name,
        )

    number = _next_copy_number(agency, year)
    try:
        signed = sign(number)
    except SignatureError as exc:
        raise _refused(exc) from exc
    try:
        with transaction.atomic():
            locked = _locked(document)
            require(Action.COPY, by, locked)
            taken = _next_copy_number(agency, year)
            if taken != number:  # another copy took the number meanwhile
                number, signed = taken, sign(taken)
            record = _store(
                document=locked,
                data=signed,
                role=FileRole.COPY,
                name=_signed_name(source.name, f"sao-y-{number:02d}"),
                by=by,
                source=source,
                comment=" ".join(_copy_lines(form, agency, number, notation)),
            )
            copy = ElectronicCopy.objects.create(
                document=locked,
                file=record,
                agency=agency,
                form=form,
                year=year,
                number=number,
                notation=notation,
                made_by=by,
                made_at=timezone.now(),
            )
            _log(
                kind=SignatureKind.AGENCY_STAMP,
                key=key,
                by=by,
                document=locked,
                source=data,
                result=record,
                result_bytes=signed,
                source_file=source,
                copy=copy.number_notation,
                agency=agency.pk,
            )
    except SignatureError as exc:
        raise _refused(exc) from exc
    except IntegrityError as exc:
        raise DocumentError(_("Another copy took this number at the same moment; try again.")) from exc
    return copy
