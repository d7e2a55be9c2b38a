"""Fail at start-up, not at the first SMS, when ``EGOV_SMS_BACKEND`` names nothing usable."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.module_loading import import_string

from egov.notifications.channels import sms_backend_path


@checks.register(checks.Tags.compatibility)
def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:

    path = sms_backend_path()
    try:
        cls = import_string(path)
    except ImportError as exc:
        return [checks.Error(f"EGOV_SMS_BACKEND {path!r} cannot be imported: {exc}", id="notifications.E001")]
    if not callable(getattr(cls, "send", None)):
        return [
            checks.Error(
                f"EGOV_SMS_BACKEND {path!r} has no send(recipient, subject, body) method",
                id="notifications.E002",
            )
        ]
    return []
