"""Reading a PDF before signing or checking it: a clear message for what is not a PDF, is
damaged or is encrypted."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from egov.signatures.errors import SignatureError

MAX_PDF_BYTES = 50 * 1024 * 1024


def read_pdf(data: bytes) -> Any:
    """A pyHanko reader of ``data``; :class:`SignatureError` if it is not a readable,
    unencrypted PDF."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if len(data) > MAX_PDF_BYTES:
        raise SignatureError(_("The PDF is larger than 50 MB."), field="file")
    if not data.lstrip()[:5] == b"%PDF-":
        raise SignatureError(_("The file is not a PDF."), field="file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise SignatureError(
                _("The PDF is encrypted (password-protected); send a PDF without a password."), field="file"
            )
        reader.root  # noqa: B018 — reading the catalogue is what proves the structure is sound
    except SignatureError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SignatureError(_("The PDF is damaged and cannot be read."), field="file") from exc
    return reader
