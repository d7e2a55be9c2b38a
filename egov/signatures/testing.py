"""A test PKI served by certomancer's Animator in its own process, for the suites of every app
that signs or checks signatures (imported by tests only)."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from egov.signatures import pki


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@dataclass
class TestPki:
    """The running PKI: its configuration and the addresses of its services."""

    __test__ = False

    config: Path
    url: str
    process: subprocess.Popen[bytes]

    @property
    def tsa_url(self) -> str:
        return pki.tsa_url(self.url)

    def pkcs12(self, label: str, password: bytes | None = None) -> bytes:
        return pki.pkcs12_of(self.config, label, password or b"")

    def certificate(self, label: str) -> bytes:
        return pki.certificate_der(self.config, label)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def default_holders() -> list[pki.Holder]:
    now = dt.datetime.now(dt.UTC)
    return [
        pki.Holder("agency", "Ủy ban nhân dân tỉnh Thử Nghiệm", "UBND tỉnh Thử Nghiệm"),
        pki.Holder("agency2", "Sở Y tế tỉnh Thử Nghiệm", "Sở Y tế"),
        pki.Holder("person", "Nguyễn Văn An", "UBND tỉnh Thử Nghiệm"),
        pki.Holder(
            "revoked", "Trần Thị Bình", "UBND tỉnh Thử Nghiệm", revoked_since=now - dt.timedelta(days=1)
        ),
        pki.Holder(
            "expired",
            "Lê Văn Cường",
            "UBND tỉnh Thử Nghiệm",
            valid_from=now - dt.timedelta(days=400),
            valid_to=now - dt.timedelta(days=1),
        ),
        pki.Holder(
            "short",
            "Phạm Thị Dung",
            "UBND tỉnh Thử Nghiệm",
            valid_from=now - dt.timedelta(days=1),
            valid_to=now + dt.timedelta(days=2),
        ),
    ]


def start_pki(
    directory: Path, holders: list[pki.Holder] | None = None, root_name: str = "egov Test Root CA"
) -> TestPki:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = pki.build_pki(
        directory, pki.PkiSpec(url_prefix=url, holders=holders or default_holders(), root_name=root_name)
    )
    process = subprocess.Popen(  # noqa: S603 — our own command line
        pki.animate_command(config, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for_port(port)
    return TestPki(config=config, url=url, process=process)
