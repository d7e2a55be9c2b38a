"""The demo's synthetic history is signed afterwards by the worker: an issued document whose
main text carries no signature gets the leader's and the agency's, as a new version, once."""

from __future__ import annotations

import pytest

from egov.demo.signed_documents import sign_history_batch
from egov.documents import services
from egov.documents.models import FileRole
from egov.documents.tests.conftest import Office
from egov.documents.tests.signing_helpers import approved_with_block, equip
from egov.signatures.models import Verdict
from egov.signatures.testing import TestPki
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def test_history_is_signed_once_and_validates(office: Office, trusted: TestPki) -> None:
    c = office.committee
    # Issued before the agency had keys: unsigned.
    document = services.document_issue(document=approved_with_block(office), register=c.outgoing, by=c.clerk)
    unsigned = document.files.get(role=FileRole.MAIN)
    with unsigned.file.open("rb") as handle:
        assert validate_pdf(handle.read()).verdict == Verdict.UNSIGNED
    equip(office, trusted)
    for person in (c.leader, c.clerk):
        person.is_demo = True
        person.save(update_fields=["is_demo"])
    assert sign_history_batch() == 1
    signed = document.files.filter(role=FileRole.MAIN).order_by("-version").first()
    assert signed is not None and signed.derived_from == unsigned
    with signed.file.open("rb") as handle:
        result = validate_pdf(handle.read())
    assert result.verdict == Verdict.VALID, result.summary
    assert len(result.signatures) == 2
    assert sign_history_batch() == 0  # nothing left: the signed version is not signed again
