"""Helpers of the validation and check tests: a signed PDF from a holder of the test PKI, and
the revocation data of the whole test PKI fetched from its Animator."""

from __future__ import annotations

from egov.signatures.keys import signer_for
from egov.signatures.revocation import fetch_sources, sources_for
from egov.signatures.signing import Level, sign_pdf
from egov.signatures.testing import TestPki

LABELS = ["root", "interm", "tsa", "ocsp", "agency", "agency2", "person", "revoked", "expired", "short"]


def plain_pdf(text: str = "Quyết định về việc thử nghiệm") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<p>{text}</p><p>Nguyễn Văn An</p>").write_pdf())


_CERTS: dict[str, list[object]] = {}


def pki_certificates(pki: TestPki) -> list[object]:
    """Every certificate of the test PKI (read once: loading certomancer's configuration is slow)."""
    from asn1crypto import x509

    from egov.signatures.pki import load_arch

    key = str(pki.config)
    if key not in _CERTS:
        arch = load_arch(pki.config)
        _CERTS[key] = [x509.Certificate.load(arch.get_cert(label).dump()) for label in LABELS]
    return _CERTS[key]


def fetch_revocation(pki: TestPki) -> dict[str, int]:
    """The CRLs and OCSP responses of every certificate of the test PKI, fetched now."""
    return fetch_sources(sources_for(pki_certificates(pki)), force=True)  # type: ignore[arg-type]


_ROWS: dict[str, list[dict[str, object]]] = {}


def install_revocation(pki: TestPki) -> None:
    """The test PKI's revocation data in the database: fetched from the Animator the first
    time in the session, then copied from that first fetch (same bytes, much faster)."""
    from egov.signatures.models import RevocationData

    key = str(pki.config)
    if key not in _ROWS:
        fetch_revocation(pki)
        _ROWS[key] = list(
            RevocationData.objects.values("kind", "key", "url", "data", "fetched_at", "next_update", "error")
        )
        return
    for row in _ROWS[key]:
        RevocationData.objects.update_or_create(
            key=row["key"], defaults={k: v for k, v in row.items() if k != "key"}
        )


_P12: dict[tuple[str, str], bytes] = {}


def pkcs12_of(pki: TestPki, label: str) -> bytes:
    if (str(pki.config), label) not in _P12:
        _P12[(str(pki.config), label)] = pki.pkcs12(label, b"pw")
    return _P12[(str(pki.config), label)]


def signed_by(
    pki: TestPki, label: str, data: bytes | None = None, *, field: str = "sig", level: Level = Level.B_T
) -> bytes:
    from egov.orgs.models import Unit
    from egov.signatures.services import signing_key_add_pkcs12

    unit = Unit.objects.filter(path="/x/").first() or Unit.objects.create(
        name="UBND tỉnh Thử Nghiệm", kind="committee", path="/x/", level="province"
    )
    key = signing_key_add_pkcs12(
        unit=unit, label=label, pkcs12=pkcs12_of(pki, label), passphrase=b"pw", by=None
    )
    return sign_pdf(data=data or plain_pdf(), signer=signer_for(key), field_name=field, level=level)
