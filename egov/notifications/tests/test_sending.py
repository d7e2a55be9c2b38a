"""notification_send records in the caller's transaction and delivers after commit, over real SMTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from egov.notifications.models import Delivery, DeliveryChannel, DeliveryStatus, Notification
from egov.notifications.services import notification_send

from .conftest import SmtpServer

SUBJECT = "Hồ sơ 000.00.00.H33-260101-0001 đã được tiếp nhận"
BODY = (
    "Kính gửi ông Nguyễn Văn Đức,\n"
    "Hồ sơ cấp giấy phép xây dựng tại Đường Lê Lợi, phường Bến Nghé đã được tiếp nhận.\n"
    "Ngày hẹn trả kết quả: 16:30 15/01/2026."
)

pytestmark = pytest.mark.django_db


def test_an_email_arrives_at_the_smtp_server_with_vietnamese_text_intact(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, email="Duc.Nguyen@Example.VN"
        )

    [message] = smtp_server.messages
    assert smtp_server.subjects == [SUBJECT]
    assert b"=?utf-8?" in smtp_server.envelopes[0].original_content  # RFC 2047 header, not mangled
    assert message.get_content_charset() == "utf-8"
    assert message["To"] == "Duc.Nguyen@example.vn"
    assert message.get_content().replace("\r\n", "\n").strip() == BODY  # SMTP lines end in CRLF
    assert smtp_server.envelopes[0].rcpt_tos == ["Duc.Nguyen@example.vn"]
    delivery = notification.deliveries.get()
    assert delivery.channel == DeliveryChannel.EMAIL
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.next_attempt_at is None


def test_one_delivery_per_contact_and_empty_contacts_are_skipped(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        both = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, email="a@b.vn", phone="0912345678"
        )
        email_only = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, email="a@b.vn", phone="  "
        )
        neither = notification_send(kind="dossier.received", subject=SUBJECT, body=BODY)

    assert len(callbacks) == 3
    assert sorted(both.deliveries.values_list("channel", "recipient", "status")) == [
        ("email", "a@b.vn", "sent"),
        ("sms", "+84912345678", "sent"),
    ]
    assert email_only.deliveries.count() == 1
    assert neither.deliveries.count() == 0
    assert len(smtp_server.messages) == 2


def test_bad_contacts_become_failed_deliveries_with_a_reason_instead_of_raising(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, email="duc@", phone="12345"
        )

    assert callbacks == []  # nothing to send
    assert smtp_server.envelopes == []
    email_delivery = notification.deliveries.get(channel=DeliveryChannel.EMAIL)
    sms_delivery = notification.deliveries.get(channel=DeliveryChannel.SMS)
    for delivery, typed in ((email_delivery, "duc@"), (sms_delivery, "12345")):
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.recipient == typed
        assert delivery.attempts == 0
        assert delivery.next_attempt_at is None
        assert not delivery.will_retry
    assert email_delivery.last_error  # Django's own "Enter a valid email address." (translated)
    assert "0912345678" in sms_delivery.last_error


def test_a_bad_email_does_not_stop_the_sms(
    django_capture_on_commit_callbacks: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="egov.sms")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            kind="dossier.received", subject=SUBJECT, body=BODY, email="not an address", phone="0912345678"
        )
    statuses = dict(notification.deliveries.values_list("channel", "status"))
    assert statuses == {"email": "failed", "sms": "sent"}


def test_nothing_is_sent_when_the_surrounding_transaction_rolls_back(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, email="duc@example.vn")
        raise RuntimeError("the dossier service failed after notifying")

    assert callbacks == []
    assert smtp_server.envelopes == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_the_object_it_is_about_is_recorded_by_type_and_id() -> None:
    about = notification_send(kind="test.about", subject="x", body="x")
    notification = notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, related=about)
    assert (notification.related_type, notification.related_id) == (
        "notifications.notification",
        str(about.pk),
    )


def test_the_subject_is_one_line_and_cut_to_fit() -> None:
    notification = notification_send(
        kind="dossier.received", subject="Hồ sơ\r\nBcc: everyone@example.vn " + "x" * 400, body=BODY
    )
    assert "\n" not in notification.subject and "\r" not in notification.subject
    assert len(notification.subject) == 255
    assert notification.subject.endswith("…")


def test_a_kind_that_is_not_a_slug_is_a_programming_error() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notification_send(kind="Dossier Received", subject=SUBJECT, body=BODY)


@pytest.mark.django_db(transaction=True)
def test_real_commit_of_an_outer_service_transaction_sends_and_rollback_does_not(
    smtp_server: SmtpServer,
) -> None:
    # No captured callbacks here: the database really commits (or rolls back) and on_commit fires.
    with transaction.atomic():
        notification_send(kind="dossier.received", subject=SUBJECT, body=BODY, email="duc@example.vn")
        assert smtp_server.envelopes == []  # nothing leaves before commit
    assert len(smtp_server.envelopes) == 1

    try:
        with transaction.atomic():
            notification_send(
                kind="dossier.received", subject="rolled back", body=BODY, email="duc@example.vn"
            )
            raise RuntimeError
    except RuntimeError:
        pass
    assert len(smtp_server.envelopes) == 1
    assert Delivery.objects.get().sent_at <= timezone.now()
