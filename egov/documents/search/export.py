"""Export of search results to a spreadsheet (.xlsx), newest first, at most :data:`EXPORT_MAX` rows."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from egov.accounts.types import Visitor
from egov.documents.search.query import SearchQuery, search_documents

EXPORT_MAX = 5000


def search_export_xlsx(*, user: Visitor, query: SearchQuery, limit: int = EXPORT_MAX) -> tuple[bytes, int]:
    """The workbook's bytes and how many rows it holds; a last row says when the cap cut it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("document search", "Documents"))
    sheet.append(
        [
            pgettext("document search", "Number and notation"),
            pgettext("document search", "Issue date"),
            pgettext("document search", "Type"),
            pgettext("document search", "Issuing agency"),
            pgettext("document search", "Subject"),
            pgettext("document search", "State"),
        ]
    )
    written, cursor, cut = 0, "", False
    while written < limit:
        page = search_documents(user=user, query=query, limit=100, cursor=cursor, count=False)
        room = limit - written
        cut = len(page.documents) > room or (bool(page.next_cursor) and len(page.documents) == room)
        for d in page.documents[:room]:
            sheet.append(
                [
                    d.number_notation,
                    d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "",
                    d.get_doc_type_display(),
                    d.issuer_name,
                    d.subject,
                    d.get_state_display(),
                ]
            )
            written += 1
        cursor = page.next_cursor
        if not cursor:
            break
    if cut:
        sheet.append([_("Only the first %(n)d results were exported; narrow the search.") % {"n": limit}])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), written
