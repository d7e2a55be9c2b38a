"""Fixtures: tasks run in-process, a real SMTP server on localhost, and a port nobody answers."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def smtp_settings(port: int) -> dict[str, Any]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5,
        "DEFAULT_FROM_EMAIL": "Một cửa tỉnh <egov@mot-cua.example.vn>",
    }


@dataclass
class SmtpServer:
    """What a real SMTP server on 127.0.0.1 received: envelopes and parsed messages."""

    port: int
    envelopes: list[Any] = field(default_factory=list)

    @property
    def subjects(self) -> list[str]:
        """Subjects decoded as a mail client does (RFC 2047). The modern ``email`` parser would keep
        the blank that Python's header folding puts before the first encoded word."""
        return [
            str(
                make_header(
                    decode_header(str(email.message_from_bytes(envelope.original_content)["Subject"]))
                )
            )
            for envelope in self.envelopes
        ]

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[misc]
            for envelope in self.envelopes
        ]

    # aiosmtpd handler hooks, called on the server's own thread.
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(autouse=True)
def immediate_tasks() -> Iterator[None]:
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        with override_settings(**smtp_settings(server.port)):
            yield server
    finally:
        controller.stop()


@pytest.fixture
def dead_smtp() -> Iterator[int]:
    """Mail settings pointing at a local port where nothing listens: every send is refused."""
    port = free_port()
    with override_settings(**smtp_settings(port)):
        yield port
