"""Delivery channels. A channel is any class with ``send(recipient, subject, body)`` that
returns when the message was handed over and raises when it was not.

E-mail goes out through Django's mail framework (``EMAIL_*`` settings). SMS goes through the
class named by ``EGOV_SMS_BACKEND``; the default only writes the message to the ``egov.sms``
log, which is what a demo or a test system wants. A real gateway is one class with the same
interface (see docs/notifications.md)."""

from __future__ import annotations

import logging
import smtplib
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from egov.notifications.models import DeliveryChannel

sms_logger = logging.getLogger("egov.sms")


@runtime_checkable
class Channel(Protocol):
    def send(self, recipient: str, subject: str, body: str) -> None:
        """Hand the message over or raise. Raise ``DeliveryRejected`` when retrying cannot help."""


class DeliveryRejected(Exception):
    """The channel refused the recipient for good (e.g. SMTP 550 “no such user”); do not retry."""


class EmailChannel:
    """Plain-text UTF-8 e-mail through the SMTP server in the ``EMAIL_*`` settings."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient]
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _reply in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise DeliveryRejected(f"the mail server refused the address: {exc.recipients}") from exc
            raise


class LogSmsChannel:
    """The demo SMS channel: writes the text message to the ``egov.sms`` logger, sends nothing."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        sms_logger.info("SMS to %s: %s", recipient, body or subject)


DEFAULT_SMS_BACKEND = "egov.notifications.channels.LogSmsChannel"


def sms_backend_path() -> str:
    return str(getattr(settings, "EGOV_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND)


def sms_channel_class() -> type[Channel]:
    cls: type[Channel] = import_string(sms_backend_path())
    return cls


def channel_get(channel: str) -> Channel:
    """A ready-to-use channel for a ``DeliveryChannel`` value."""
    if channel == DeliveryChannel.EMAIL:
        return EmailChannel()
    if channel == DeliveryChannel.SMS:
        return sms_channel_class()()
    raise ValueError(f"unknown delivery channel {channel!r}")
