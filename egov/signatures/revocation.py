"""The revocation job: fetch the CRLs and OCSP responses of the certificates egov has seen and
keep them in :class:`RevocationData`, so that checking a signature never needs the network.

Which certificates: those carried by the signatures of stored checks (signer, chain, timestamp
authority), the signing keys' certificates and the trust roots (to find issuers). Each CRL
distribution point and each OCSP responder (for a certificate whose issuer is known) is fetched
over HTTP with a timeout; a failure is written into the row's ``error`` and never raised. Data
still fresh (its next update more than an hour away) is not fetched again. After a pass that
stored something new, the checks that could not be decided are run again."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import x509
from django.core.cache import cache
from django.utils import timezone

from egov.signatures.models import RevocationData, RevocationKind, SigningKey, TrustRoot, ValidationReport

log = logging.getLogger("egov.signatures.revocation")

TIMEOUT = 10.0  # seconds per request
MAX_BYTES = 20 * 1024 * 1024  # a CRL larger than this is refused
REFRESH_MARGIN = dt.timedelta(hours=1)
OCSP_MAX_AGE = dt.timedelta(hours=12)  # OCSP answers without a next update are asked again after this
EVERY = dt.timedelta(minutes=15)  # the scheduler's passes, at most


@dataclass(frozen=True)
class Source:
    """One thing to fetch: a CRL at ``url``, or the OCSP status of ``cert`` at ``url``."""

    kind: str
    key: str
    url: str
    cert: x509.Certificate | None = None
    issuer: x509.Certificate | None = None


def _http_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def sources_for(certificates: Iterable[x509.Certificate]) -> list[Source]:
    """The CRLs and OCSP responses that decide whether ``certificates`` were revoked."""
    certs = {c.sha256: c for c in certificates}
    by_subject: dict[bytes, x509.Certificate] = {}
    for cert in certs.values():
        by_subject.setdefault(cert.subject.dump(), cert)
    found: dict[str, Source] = {}
    for cert in certs.values():
        if cert.self_signed != "no":
            continue  # a root vouches for itself
        for dp in cert.crl_distribution_points:
            url = dp.url
            if url and _http_url(url):
                found.setdefault(url, Source(RevocationKind.CRL, url, url))
        issuer = by_subject.get(cert.issuer.dump())
        if issuer is None:
            continue
        for url in cert.ocsp_urls:
            if _http_url(url):
                key = f"ocsp:{url}|{cert.issuer.sha256.hex()}|{cert.serial_number:x}"[:600]
                found.setdefault(key, Source(RevocationKind.OCSP, key, url, cert, issuer))
    return list(found.values())


def _http(url: str, *, body: bytes | None = None, content_type: str = "") -> bytes:
    headers = {"User-Agent": "egov-revocation/1"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 — http(s) only, checked above
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 — as above
        data = bytes(response.read(MAX_BYTES + 1))
    if len(data) > MAX_BYTES:
        raise ValueError("response too large")
    return data


def _fetch_crl(source: Source) -> tuple[bytes, dt.datetime | None]:
    from asn1crypto import crl, pem

    data = _http(source.url)
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    parsed = crl.CertificateList.load(data)
    next_update = parsed["tbs_cert_list"]["next_update"].native
    return data, next_update


def _fetch_ocsp(source: Source) -> tuple[bytes, dt.datetime | None]:
    from asn1crypto import ocsp
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp as cocsp

    assert source.cert is not None and source.issuer is not None
    request = (
        cocsp.OCSPRequestBuilder()
        .add_certificate(
            cx509.load_der_x509_certificate(source.cert.dump()),
            cx509.load_der_x509_certificate(source.issuer.dump()),
            hashes.SHA1(),  # noqa: S303 — the CertID hash every responder understands (RFC 6960)
        )
        .build()
    )
    data = _http(
        source.url,
        body=request.public_bytes(serialization.Encoding.DER),
        content_type="application/ocsp-request",
    )
    parsed = ocsp.OCSPResponse.load(data)
    if parsed["response_status"].native != "successful":
        raise ValueError(f"OCSP responder answered {parsed['response_status'].native}")
    single = parsed.response_data["responses"][0]
    return data, single["next_update"].native


def _due(row: RevocationData | None, now: dt.datetime) -> bool:
    if row is None or row.data is None or row.fetched_at is None:
        return True
    if row.next_update is not None:
        return row.next_update - REFRESH_MARGIN <= now
    return row.fetched_at + OCSP_MAX_AGE <= now


def fetch_sources(sources: Iterable[Source], *, force: bool = False) -> dict[str, int]:
    """Fetch each source that is due and store it; errors go into the row, never raised."""
    now = timezone.now()
    counts = {"fetched": 0, "failed": 0, "fresh": 0}
    for source in sources:
        row = RevocationData.objects.filter(key=source.key).first()
        if not force and not _due(row, now):
            counts["fresh"] += 1
            continue
        try:
            data, next_update = (_fetch_crl if source.kind == RevocationKind.CRL else _fetch_ocsp)(source)
        except Exception as exc:  # network, HTTP and parse errors alike are recorded
            log.warning("revocation: %s failed: %s", source.url, exc)
            RevocationData.objects.update_or_create(
                key=source.key,
                defaults={
                    "kind": source.kind,
                    "url": source.url[:500],
                    "error": str(exc)[:500] or type(exc).__name__,
                },
            )
            counts["failed"] += 1
            continue
        RevocationData.objects.update_or_create(
            key=source.key,
            defaults={
                "kind": source.kind,
                "url": source.url[:500],
                "data": data,
                "fetched_at": timezone.now(),
                "next_update": next_update,
                "error": "",
            },
        )
        counts["fetched"] += 1
    return counts


def known_certificates() -> list[x509.Certificate]:
    """Every certificate egov has seen: carried by stored checks, of signing keys, trust roots."""
    seen: dict[bytes, x509.Certificate] = {}

    def add(raw: bytes) -> None:
        try:
            cert = x509.Certificate.load(raw)
            seen.setdefault(cert.sha256, cert)
        except ValueError:
            return

    for signatures in (
        ValidationReport.objects.exclude(signatures=[]).values_list("signatures", flat=True).iterator()
    ):
        for sig in signatures or []:
            for b64 in sig.get("chain", []) if isinstance(sig, dict) else []:
                add(base64.b64decode(b64))
    for raw in SigningKey.objects.exclude(certificate=None).values_list("certificate", flat=True):
        add(bytes(raw or b""))
    for raw in TrustRoot.objects.values_list("certificate", flat=True):
        add(bytes(raw))
    return list(seen.values())


def revocation_refresh(
    *, force: bool = False, recheck: bool = True, throttle: bool = False
) -> dict[str, int]:
    """The periodic job: fetch what is due for every known certificate; when something new
    was stored, run again the checks that could not be decided. With ``throttle`` (the
    scheduler's pass, every minute or so) it runs at most once per :data:`EVERY`."""
    if throttle and not cache.add("egov:signatures:revocation-pass", 1, timeout=int(EVERY.total_seconds())):
        return {}
    counts = fetch_sources(sources_for(known_certificates()), force=force)
    if recheck and counts["fetched"]:
        from egov.signatures.checks import recheck_undecided

        counts["rechecks_queued"] = recheck_undecided()
    return counts
