from __future__ import annotations

from egov.documents.views import drafting, handling, incoming, registers, search, workfiles

app_name = "documents"

urlpatterns = [
    *incoming.urlpatterns,
    *handling.urlpatterns,
    *drafting.urlpatterns,
    *workfiles.urlpatterns,
    *search.urlpatterns,
    *registers.urlpatterns,
]
