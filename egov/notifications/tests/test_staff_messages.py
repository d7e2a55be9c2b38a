"""In-app messages to staff, with an e-mail copy when they have an address."""

from __future__ import annotations

import pytest

from conftest import _person
from egov.notifications.models import Delivery, Notification, StaffMessage
from egov.notifications.selectors import staff_messages_for
from egov.notifications.services import staff_message_send, staff_messages_mark_read

pytestmark = pytest.mark.django_db


def test_message_is_kept_in_app_and_copied_by_email_when_there_is_an_address() -> None:
    with_mail = _person("vanthu.mail")
    with_mail.email = "vanthu@example.gov.vn"
    with_mail.save(update_fields=["email"])
    without = _person("vanthu.nomail")
    staff_message_send(recipient=with_mail, kind="documents.assigned", subject="Được giao\nxử lý", link="/x/")
    staff_message_send(recipient=without, kind="documents.assigned", subject="Được giao xử lý")
    assert StaffMessage.objects.count() == 2
    assert staff_messages_for(with_mail).get().subject == "Được giao xử lý"  # no header injection
    notification = Notification.objects.get()
    assert Delivery.objects.get(notification=notification).recipient == "vanthu@example.gov.vn"
    assert staff_messages_mark_read(recipient=without) == 1
    assert not staff_messages_for(without, unread_only=True).exists()
    assert staff_messages_for(with_mail, unread_only=True).count() == 1
