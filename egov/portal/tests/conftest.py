"""Portal fixtures: a verified citizen with saved details, files, and online dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def disguised(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to .pdf."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "application/pdf")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # The rate-limit counters live in the (process-wide) cache: no test may inherit another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(personas: dict[str, Any]) -> Any:
    from egov.portal.services import profile_save

    user = personas["citizen"]
    profile_save(
        user=user,
        applicant_kind="citizen",
        full_name="Trần Thị Mai",
        id_number="001199012345",
        address="Thôn 1, Xã A1",
        phone="0912345678",
        email="mai@example.vn",
    )
    return user


@pytest.fixture
def other_citizen(province: Any) -> Any:
    from conftest import _person
    from egov.accounts.models import AccountKind

    return _person("citizen2", kind=AccountKind.CITIZEN)


@pytest.fixture
def online_dossier(procedure: Any, province: Any, citizen: Any) -> Any:
    """An online submission by ``citizen``, waiting for acceptance; result wanted online."""

    def _make(**changes: Any) -> Any:
        from conftest import PAPERS
        from egov.dossiers.services import ApplicantIn, dossier_register_online

        kwargs: dict[str, Any] = {
            "unit": province.one_stop_a1,
            "version": procedure,
            "applicant": ApplicantIn(
                kind="citizen", name="Trần Thị Mai", phone="0912 345 678", email="mai@example.vn"
            ),
            "papers": PAPERS,
            "return_method": "online",
            "applicant_user": citizen,
            "files": [pdf("to-khai.pdf")],
        }
        kwargs.update(changes)
        return dossier_register_online(**kwargs)

    return _make
