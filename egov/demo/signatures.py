"""The demo's digital signatures, made when the demo loads — never shipped.

``egov demo`` generates, under the data directory, a demo PKI (``<data>/demo-pki``): a root
named as a demo CA, an intermediate, a time-stamping authority, an OCSP responder and CRLs,
one certificate for each demo agency that issues documents or one-stop results and one for
each demo leader. Each key becomes a PKCS#12 file with a random passphrase in the secrets
directory (marked ``is_demo``); the demo root is trusted as a root of kind ``demo``; each
leader gets a blue handwritten-looking signature image and each agency a red round seal,
drawn with Pillow. The PKI's services (TSA, OCSP, CRL) are certomancer's Animator, run by
``egov demo`` as one more process. Then the demo's resolved one-stop results are signed through
the real services (the leader, then the clerk releases with the agency's seal).

Nothing here is for real documents: the root says so, and every key is a demo key."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.demo.signature_images import seal_png, signature_png
from egov.orgs.models import Unit
from egov.signatures import pki

DEMO_ROOT_NAME = "egov DEMO Root CA - chi de thu, khong dung cho van ban that"
DEMO_ROOT_LABEL = "Gốc tin cậy DEMO của egov (chỉ để thử, không dùng cho văn bản thật)"
PKI_DIRNAME = "demo-pki"
STATE_FILE = "demo-pki.json"
RESULTS_PER_AGENCY = 2  # resolved one-stop dossiers per demo agency that get a signed result
SIGNATURE_WIDTH_MM = Decimal("40")
SEAL_WIDTH_MM = Decimal("36")


# ---------------------------------------------------------------- the PKI and its process


@dataclass(frozen=True)
class DemoPki:
    """The demo PKI on disk and where its Animator listens."""

    directory: Path
    port: int

    @property
    def config(self) -> Path:
        return self.directory / pki.CONFIG_NAME

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tsa_url(self) -> str:
        return pki.tsa_url(self.url)

    def command(self) -> list[str]:
        return pki.animate_command(self.config, self.port)


def pki_dir() -> Path:
    return Path(settings.DATA_DIR) / PKI_DIRNAME


def _leader_name(user: User) -> str:
    """ "Huỳnh Văn Phúc — Chủ tịch UBND phường (demo)" → "Huỳnh Văn Phúc"."""
    return user.full_name.split(" — ")[0].removesuffix(" (demo)").strip()


def demo_agencies() -> list[Unit]:
    """The demo agencies that issue documents or one-stop results (their clerks and leaders
    are the demo's people)."""
    ids = set(
        RoleAssignment.objects.active()
        .filter(user__is_demo=True, role__in=(Role.CLERK, Role.AGENCY_LEADER))
        .values_list("unit_id", flat=True)
    )
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def demo_leaders() -> list[User]:
    ids = set(
        RoleAssignment.objects.active()
        .filter(user__is_demo=True, role=Role.AGENCY_LEADER)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def _holders() -> list[pki.Holder]:
    holders = [pki.Holder(f"unit-{u.pk}", u.name[:64], u.name[:64]) for u in demo_agencies()]
    for user in demo_leaders():
        unit = (
            RoleAssignment.objects.active()
            .filter(user=user, role=Role.AGENCY_LEADER)
            .select_related("unit")
            .order_by("-unit__valid_from", "unit__path")
            .first()
        )
        organization = unit.unit.name[:64] if unit is not None else ""
        holders.append(pki.Holder(f"user-{user.pk}", _leader_name(user)[:64], organization))
    return holders


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for candidate in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def prepare_pki(*, port: int) -> DemoPki:
    """The demo PKI of this data directory, generated on first use (keys never leave it). Its
    address is written into the certificates, so a PKI keeps its port for good."""
    directory = pki_dir()
    state = directory / STATE_FILE
    if state.is_file() and (directory / pki.CONFIG_NAME).is_file():
        return DemoPki(directory, int(json.loads(state.read_text())["port"]))
    running = DemoPki(directory, free_port(port))
    holders = _holders()
    _ec_keys(directory / "keys", ["root", "interm", "tsa", "ocsp", *(h.label for h in holders)])
    pki.build_pki(
        directory,
        pki.PkiSpec(
            url_prefix=running.url,
            holders=holders,
            root_name=DEMO_ROOT_NAME,
            organization="egov DEMO PKI (not for real documents)",
        ),
    )
    state.write_text(json.dumps({"port": running.port}))
    return running


def _ec_keys(directory: Path, labels: list[str]) -> None:
    """ECDSA P-256 keys for the demo PKI, written before :func:`pki.build_pki` (which keeps keys
    already there). Measured: loading an RSA-2048 key costs ~0.14 s (the key check), and the
    PKI's keys are loaded three times (certificates, PKCS#12 files, the Animator) plus once per
    signature; with P-256 the demo PKI is ready in about a second instead of about fifteen."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    directory.mkdir(parents=True, exist_ok=True)
    for label in labels:
        path = directory / f"{label}.key.pem"
        if path.exists():
            continue
        key = ec.generate_private_key(ec.SECP256R1())
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        path.chmod(0o600)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the demo PKI did not start on port {port}")


def start_animator(running: DemoPki) -> subprocess.Popen[bytes]:
    """Start serving the PKI (it comes up while the keys are registered; :func:`load_demo_signatures`
    waits for it before signing)."""
    return subprocess.Popen(running.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


# ---------------------------------------------------------------- images


def image_add(*, kind: str, png: bytes, width_mm: Decimal, by: User | None, user: User | None = None,
              unit: Unit | None = None) -> Any:  # fmt: skip
    """Keep a generated signature or seal image (a new row; the newest active one is used)."""
    from PIL import Image

    from egov.signatures.models import SignatureImage

    with Image.open(io.BytesIO(png)) as img:
        width, height = img.size
    sha = hashlib.sha256(png).hexdigest()
    row = SignatureImage(
        unit=unit, user=user, kind=kind, sha256=sha, width_px=width, height_px=height, width_mm=width_mm,
        uploaded_by=by, uploaded_at=timezone.now(),
    )  # fmt: skip
    row.image.save(f"demo-{kind}-{sha[:16]}.png", ContentFile(png), save=False)
    row.save()
    audit_record(
        event=AuditEvent.SIGNATURE_IMAGE_SET,
        actor=by,
        target=row,
        scope_path=unit.path if unit is not None else "",
        after={"kind": kind, "sha256": sha, "demo": True},
    )
    return row


# ---------------------------------------------------------------- keys, root, images


@transaction.atomic
def load_demo_keys(running: DemoPki, *, by: User | None) -> int:
    """The demo root trusted; a PKCS#12 key and an image for each demo agency and leader that
    has none yet. Returns how many keys were added."""
    from egov.signatures.models import ImageKind, RootKind, SigningKey
    from egov.signatures.services import new_secret, signing_key_add_pkcs12, trust_root_add

    arch = pki.load_arch(running.config)
    # ECDSA signatures differ on every signing, so certomancer issues the root anew (same key and
    # name, other bytes) each time it loads the configuration: the first one is kept and trusted.
    root_file = running.directory / "root.cert.der"
    if not root_file.is_file():
        root_file.write_bytes(bytes(arch.get_cert("root").dump()))
    trust_root_add(certificate=root_file.read_bytes(), name=DEMO_ROOT_LABEL, kind=RootKind.DEMO, by=by)
    known = {h.label for h in _holders()} & set(_config_labels(running))
    added = 0
    for unit in demo_agencies():
        label = f"unit-{unit.pk}"
        if label not in known or SigningKey.objects.filter(unit=unit, is_demo=True).exists():
            continue
        secret = new_secret()
        p12 = bytes(arch.package_pkcs12(label, certs_to_embed=["interm", "root"], password=secret))
        signing_key_add_pkcs12(unit=unit, label=f"Khóa demo — {unit.name}"[:100], pkcs12=p12, passphrase=secret,
                               is_demo=True, by=by)  # fmt: skip
        image_add(kind=ImageKind.SEAL, png=seal_png(unit.name), width_mm=SEAL_WIDTH_MM, by=by, unit=unit)
        added += 1
    for user in demo_leaders():
        label = f"user-{user.pk}"
        if label not in known or SigningKey.objects.filter(user=user, is_demo=True).exists():
            continue
        secret = new_secret()
        p12 = bytes(arch.package_pkcs12(label, certs_to_embed=["interm", "root"], password=secret))
        signing_key_add_pkcs12(user=user, label=f"Khóa demo — {_leader_name(user)}"[:100], pkcs12=p12,
                               passphrase=secret, is_demo=True, by=by)  # fmt: skip
        image_add(kind=ImageKind.SIGNATURE, png=signature_png(_leader_name(user)), width_mm=SIGNATURE_WIDTH_MM,
                  by=by, user=user)  # fmt: skip
        added += 1
    return added


def _config_labels(running: DemoPki) -> list[str]:
    import yaml

    config = yaml.safe_load(running.config.read_text(encoding="utf-8"))
    return list(config["pki-architectures"][pki.ARCH]["certs"])


# ---------------------------------------------------------------- signed one-stop results


def result_pdf(dossier: Any, leader_title: str, leader_name: str) -> bytes:
    """A one-page result document of ``dossier`` whose signature block sits where the
    competent person's image goes (lower right of the last page)."""
    from django.utils.html import escape
    from weasyprint import HTML

    when = timezone.localtime(dossier.resolved_at or timezone.now())
    agency = escape(dossier.resolving_unit.name)
    html = f"""<html lang="vi"><head><style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: 'Noto Serif', serif; font-size: 13pt; }}
.head {{ text-align: center; font-weight: bold; }}
.sign {{ position: absolute; right: 0; bottom: 10mm; width: 70mm; height: 60mm; text-align: center; }}
.sign .title {{ font-weight: bold; }}
.sign .name {{ position: absolute; bottom: 0; width: 100%; font-weight: bold; }}
</style></head><body>
<p class="head">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<p style="text-align:right"><i>ngày {when:%d} tháng {when:%m} năm {when:%Y}</i></p>
<p class="head">KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH<br>(bản demo, không có giá trị pháp lý)</p>
<p>Cơ quan giải quyết: {agency}</p>
<p>Thủ tục: {escape(dossier.procedure_version.name)}</p>
<p>Mã hồ sơ: {escape(dossier.code)}</p>
<p>Người nộp: {escape(dossier.applicant_name)}</p>
<p>Kết quả: hồ sơ đã được giải quyết theo quy định.</p>
<div class="sign"><div class="title">{escape(leader_title)}</div><div class="name">{escape(leader_name)}</div></div>
</body></html>"""
    return bytes(HTML(string=html).write_pdf())


def _demo_result_dossiers(agency: Unit, count: int) -> list[Any]:
    """Up to ``count`` recent approved dossiers of the agency that still need a result (fewer
    when some already have one: loading the demo twice signs nothing more)."""
    from egov.dossiers.models import Dossier, DossierState, FileKind, Outcome

    decided = Dossier.objects.filter(
        resolving_unit__path__startswith=agency.path,
        state__in=(DossierState.RESOLVED, DossierState.RETURNED),
        outcome=Outcome.APPROVED,
    )
    having = decided.filter(files__kind=FileKind.RESULT).distinct().count()
    if having >= count:
        return []
    return list(
        decided.exclude(files__kind=FileKind.RESULT)
        .select_related("procedure_version", "resolving_unit", "receiving_unit")
        .order_by("-resolved_at")[: count - having]
    )


def _people_of(agency: Unit, role: str) -> User | None:
    held = (
        RoleAssignment.objects.active()
        .filter(unit=agency, role=role, user__is_demo=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return held.user if held is not None else None


def sign_demo_results(*, per_agency: int = RESULTS_PER_AGENCY, agencies: list[Unit] | None = None) -> int:
    """Give ``per_agency`` recent resolved dossiers of each demo one-stop agency (one with a
    leader and a clerk) a result document, signed by the leader and released with the agency's
    seal by the clerk — through the real services. Returns how many results were signed."""
    from egov.dossiers.models import FileKind
    from egov.dossiers.services import dossier_attach_file
    from egov.dossiers.services.signing import dossier_result_seal, dossier_result_sign
    from egov.dossiers.workflow import RULES, Action

    signed = 0
    for agency in agencies if agencies is not None else _one_stop_agencies():
        leader, clerk = _people_of(agency, Role.AGENCY_LEADER), _people_of(agency, Role.CLERK)
        if leader is None or clerk is None:
            continue
        title = "CHỦ TỊCH" if "Ủy ban" in agency.name or "UBND" in agency.name else "GIÁM ĐỐC"
        for dossier in _demo_result_dossiers(agency, per_agency):
            if not RULES[Action.SIGN_RESULT].allowed(leader, dossier):
                continue  # decided by another unit's people (a hand-over)
            with transaction.atomic():
                pdf = result_pdf(dossier, title, _leader_name(leader))
                dossier_attach_file(
                    dossier=dossier,
                    upload=ContentFile(pdf, name=f"ket-qua-{dossier.code}.pdf"),
                    kind=FileKind.RESULT,
                    by=leader,
                )
                dossier_result_sign(dossier=dossier, by=leader)
                dossier_result_seal(dossier=dossier, by=clerk)
            signed += 1
    return signed


def _one_stop_agencies() -> list[Unit]:
    """The demo agencies that resolve one-stop dossiers: the ward's People's Committee and the
    Department of Health (egov.demo.loader's two teams)."""
    from egov.demo.loader import _demo_units, current_province

    units = _demo_units(current_province())
    return [units["commune_committee"], units["department"]]


def fetch_demo_revocation(running: DemoPki) -> int:
    """The CRLs and OCSP responses of the demo's certificates, fetched from the demo PKI now (as
    the revocation job would), so that the demo's signed files check as valid offline."""
    from asn1crypto import x509

    from egov.signatures.revocation import fetch_sources, known_certificates, sources_for

    certificates = known_certificates()
    certificates.append(x509.Certificate.load(bytes(pki.load_arch(running.config).get_cert("tsa").dump())))
    return int(fetch_sources(sources_for(certificates), force=True).get("fetched", 0))


def load_demo_signatures(running: DemoPki, *, by: User | None) -> dict[str, float]:
    """Keys, root and images, then the signed results; what it did and how long each part took."""
    from django.test.utils import override_settings

    started = time.monotonic()
    keys = load_demo_keys(running, by=by)
    after_keys = time.monotonic()
    wait_for_port(running.port)  # the time-stamping authority is up before anything is signed
    with override_settings(EGOV_SIGNING_TSA_URL=running.tsa_url):
        results = sign_demo_results()
        from egov.demo.signed_documents import sign_demo_documents

        documents = sign_demo_documents()
    # The synthetic history's issued texts are signed by the worker, in batches (a few minutes).
    from egov.demo.tasks import sign_history_task

    sign_history_task.enqueue()
    fetched = fetch_demo_revocation(running)
    return {
        "documents": documents,
        "revocation_fetched": fetched,
        "keys": keys,
        "keys_seconds": round(after_keys - started, 2),
        "results": results,
        "results_seconds": round(time.monotonic() - after_keys, 2),
    }


__all__ = [
    "DemoPki",
    "load_demo_signatures",
    "prepare_pki",
    "seal_png",
    "signature_png",
    "start_animator",
]
