"""The SMS channel is pluggable; the history of an object's notifications reads in two queries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.core import checks
from django.test import override_settings

from egov.notifications.channels import Channel, EmailChannel, LogSmsChannel, channel_get
from egov.notifications.models import DeliveryStatus
from egov.notifications.selectors import notifications_for, notifications_for_object
from egov.notifications.services import notification_send

from .conftest import SmtpServer

pytestmark = pytest.mark.django_db

SMS_TEXT = "Hồ sơ 000.00.00.H33-260101-0003 đã có kết quả. Mời ông/bà đến Bộ phận Một cửa nhận."


def test_the_demo_sms_channel_logs_the_message_to_the_normalised_number(
    caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    caplog.set_level(logging.INFO, logger="egov.sms")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            kind="dossier.result_ready", subject="Kết quả", body=SMS_TEXT, phone="091 234 5678"
        )
    [record] = [r for r in caplog.records if r.name == "egov.sms"]
    assert record.levelno == logging.INFO
    assert "+84912345678" in record.getMessage()
    assert SMS_TEXT in record.getMessage()
    delivery = notification.deliveries.get()
    assert (delivery.recipient, delivery.status) == ("+84912345678", DeliveryStatus.SENT)


class RecordingGateway:
    """Stands in for a real SMS gateway: same interface, records instead of calling an API."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.outbox.append((recipient, body))


class DownGateway:
    def send(self, recipient: str, subject: str, body: str) -> None:
        raise ConnectionError("gateway returned HTTP 503")


def test_a_real_gateway_plugs_in_through_the_setting(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    RecordingGateway.outbox = []
    with (
        override_settings(EGOV_SMS_BACKEND=f"{__name__}.RecordingGateway"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert isinstance(channel_get("sms"), RecordingGateway)
        notification_send(
            kind="dossier.result_ready", subject="Kết quả", body=SMS_TEXT, phone="+84 912 345 678"
        )
    assert RecordingGateway.outbox == [("+84912345678", SMS_TEXT)]


def test_a_failing_gateway_is_retried_like_email(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with (
        override_settings(EGOV_SMS_BACKEND=f"{__name__}.DownGateway"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notification_send(kind="x", subject="x", body=SMS_TEXT, phone="0912345678")
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == "ConnectionError: gateway returned HTTP 503"
    assert delivery.will_retry


def test_the_channels_satisfy_the_protocol() -> None:
    assert isinstance(EmailChannel(), Channel)
    assert isinstance(LogSmsChannel(), Channel)


def test_a_misconfigured_sms_backend_fails_the_system_check() -> None:
    with override_settings(EGOV_SMS_BACKEND="egov.notifications.channels.NoSuchGateway"):
        errors = [e for e in checks.run_checks() if e.id and e.id.startswith("notifications.")]
    assert [e.id for e in errors] == ["notifications.E001"]
    assert not [e for e in checks.run_checks() if e.id and e.id.startswith("notifications.")]


def test_the_history_of_an_object_is_newest_first_with_its_deliveries(
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Callable[..., Any],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    about = notification_send(kind="test.subject", subject="the object", body="-")
    other = notification_send(kind="test.subject", subject="another object", body="-")
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_send(
            kind="dossier.received", subject="1", body="-", email="a@b.vn", related=about
        )
        second = notification_send(
            kind="dossier.result_ready",
            subject="2",
            body="-",
            email="bad@",
            phone="0912345678",
            related=about,
        )
        notification_send(
            kind="dossier.received", subject="elsewhere", body="-", email="a@b.vn", related=other
        )

    with django_assert_num_queries(2):
        history = [
            (n.pk, [(d.channel, d.status) for d in n.deliveries.all()])
            for n in notifications_for("notifications.notification", str(about.pk))
        ]
    assert history == [
        (second.pk, [("email", "failed"), ("sms", "sent")]),
        (first.pk, [("email", "sent")]),
    ]
    assert [n.pk for n in notifications_for_object(about)] == [second.pk, first.pk]
