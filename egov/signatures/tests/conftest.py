"""Fixtures of the signature tests: the running test PKI (one per session), the trust root in
the database, the time-stamping authority configured, and an agency key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.signatures.testing import TestPki, start_pki


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    running = start_pki(Path(tmp_path_factory.mktemp("pki")))
    yield running
    running.stop()


@pytest.fixture
def trusted(db: None, test_pki: TestPki, settings: object) -> TestPki:
    """The test PKI's root is trusted, its TSA configured and its revocation data (CRLs, OCSP
    responses) cached, as the revocation job would have fetched it."""
    from egov.signatures.models import RootKind
    from egov.signatures.services import trust_root_add

    settings.EGOV_SIGNING_TSA_URL = test_pki.tsa_url  # type: ignore[attr-defined]
    trust_root_add(certificate=test_pki.certificate("root"), name="Test root", kind=RootKind.DEMO, by=None)
    from egov.signatures.tests.helpers_valid import install_revocation

    install_revocation(test_pki)
    return test_pki
