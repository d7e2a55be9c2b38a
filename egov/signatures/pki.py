"""A complete test or demo PKI (root, intermediate, time-stamping authority, OCSP responder,
CRLs, agency and person certificates), described for certomancer and served by its Animator
as a separate process (``certomancer --config … animate``).

The keys are generated here, on the machine that uses them, into the PKI's directory: no
private key is ever shipped or committed. Everything this builds is marked as a demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "egov"
CONFIG_NAME = "certomancer.yml"


@dataclass(frozen=True)
class Holder:
    """A certificate to issue: ``label`` (also its key's name), the common name, the
    organisation, and optionally a validity window and a revocation date."""

    label: str
    common_name: str
    organization: str = ""
    valid_from: dt.datetime | None = None
    valid_to: dt.datetime | None = None
    revoked_since: dt.datetime | None = None


@dataclass
class PkiSpec:
    url_prefix: str
    holders: list[Holder] = field(default_factory=list)
    root_name: str = "egov Demo Root CA"
    organization: str = "egov demo PKI"


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _key(path: Path) -> None:
    if path.exists():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    path.chmod(0o600)


def _ku(*usages: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(usages)},
    }


def _crl(repo: str) -> dict[str, Any]:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}},
    }


# long: one declarative description of the PKI (certomancer's configuration), read top to bottom
def build_pki(directory: Path, spec: PkiSpec) -> Path:
    """Write the keys and the certomancer configuration of ``spec`` into ``directory``; return
    the configuration's path. Keys already there are kept, so a PKI can be rebuilt with more
    holders without changing the existing ones."""
    directory.mkdir(parents=True, exist_ok=True)
    keys_dir = directory / "keys"
    keys_dir.mkdir(exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    long_ago, far = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650 * 3)
    names = ["root", "interm", "tsa", "ocsp", *(h.label for h in spec.holders)]
    for name in names:
        _key(keys_dir / f"{name}.key.pem")
    entities: dict[str, Any] = {
        "root": {"common-name": spec.root_name},
        "interm": {"common-name": f"{spec.root_name} — Intermediate"},
        "tsa": {"common-name": "egov Demo Time-Stamping Authority"},
        "ocsp": {"common-name": "egov Demo OCSP Responder"},
    }
    certs: dict[str, Any] = {
        "root": {
            "subject": "root",
            "subject-key": "root",
            "issuer": "root",
            "authority-key": "root",
            "validity": {"valid-from": _when(long_ago), "valid-to": _when(far)},
            "extensions": [
                {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                _ku("digital_signature", "key_cert_sign", "crl_sign"),
            ],
        },
        "interm": {
            "issuer": "root",
            "validity": {"valid-from": _when(long_ago), "valid-to": _when(far)},
            "extensions": [
                {
                    "id": "basic_constraints",
                    "critical": True,
                    "value": {"ca": True, "path-len-constraint": 0},
                },
                _ku("digital_signature", "key_cert_sign", "crl_sign"),
                _crl("root"),
            ],
        },
        "ocsp": {
            "issuer": "interm",
            "validity": {"valid-from": _when(long_ago), "valid-to": _when(far)},
            "extensions": [
                _ku("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                {"id": "ocsp_no_check"},
            ],
        },
        "tsa": {
            "issuer": "root",
            "validity": {"valid-from": _when(long_ago), "valid-to": _when(far)},
            "extensions": [
                _ku("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                _crl("root"),
            ],
        },
    }
    for holder in spec.holders:
        entity = {"common-name": holder.common_name}
        if holder.organization:
            entity["organization-name"] = holder.organization
        entities[holder.label] = entity
        cert: dict[str, Any] = {
            "issuer": "interm",
            "validity": {
                "valid-from": _when(holder.valid_from or now - dt.timedelta(days=30)),
                "valid-to": _when(holder.valid_to or now + dt.timedelta(days=3 * 365)),
            },
            "extensions": [
                _ku("digital_signature", "non_repudiation"),
                _crl("interm"),
                {
                    "id": "authority_information_access",
                    "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["interm"]}},
                },
            ],
        }
        if holder.revoked_since is not None:
            cert["revocation"] = {"revoked-since": _when(holder.revoked_since), "reason": "key_compromise"}
        certs[holder.label] = cert
    config = {
        "external-url-prefix": spec.url_prefix,
        "keysets": {ARCH: {"path-prefix": "keys", "keys": {n: {"path": f"{n}.key.pem"} for n in names}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": spec.organization},
                "entities": entities,
                "certs": certs,
                "services": {
                    "ocsp": {
                        "interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P30D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P7D",
                        },
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }
    path = directory / CONFIG_NAME
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def load_arch(config_path: Path) -> Any:
    """The certomancer architecture described by ``config_path``."""
    from certomancer.registry import ArchLabel, CertomancerConfig

    return CertomancerConfig.from_file(str(config_path)).get_pki_arch(ArchLabel(ARCH))


def pkcs12_of(config_path: Path, label: str, password: bytes) -> bytes:
    """The holder's key and certificate with the chain above it, as PKCS#12 bytes."""
    arch = load_arch(config_path)
    return bytes(arch.package_pkcs12(label, certs_to_embed=["interm", "root"], password=password))


def certificate_der(config_path: Path, label: str) -> bytes:
    return bytes(load_arch(config_path).get_cert(label).dump())


def tsa_url(spec_url_prefix: str) -> str:
    return f"{spec_url_prefix}/{ARCH}/tsa/tsa"


def animate_command(config_path: Path, port: int) -> list[str]:
    """The command that serves the PKI's TSA, OCSP responder, CRLs and certificates over HTTP."""
    import shutil
    import sys

    exe = shutil.which("certomancer") or str(Path(sys.executable).with_name("certomancer"))
    return [
        exe,
        "--config",
        str(config_path),
        "animate",
        "--port",
        str(port),
        "--no-web-ui",
        "--no-time-override",
    ]
