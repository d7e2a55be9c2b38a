from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"egov_demo": settings.DEMO, "egov_demo_relax_2fa": settings.DEMO_RELAX_2FA}
