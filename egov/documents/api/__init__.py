"""The document system's HTTP API, one router per area, mounted at ``/api/v1/documents``."""

from __future__ import annotations

from ninja import Router

from egov.documents.api import drafting, handling, incoming, registers, search, workfiles

router = Router()
for _area in (incoming, handling, drafting, workfiles, search, registers):
    router.add_router("", _area.router)
