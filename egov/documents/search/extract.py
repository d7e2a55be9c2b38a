"""Text of stored files for search: the PDF text layer (pypdf), else OCR of the rendered pages
or of the image with Tesseract's Vietnamese model (Debian ``tesseract-ocr tesseract-ocr-vie``,
pages rendered by ``pdftoppm`` from ``poppler-utils``); Word files (.docx) and plain text read
directly. Runs in the worker: a file that cannot be read is marked ``failed`` with the reason
in the log, never an exception out of the task."""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from egov.documents.models import DocumentFile, TextState

log = logging.getLogger("egov.documents.search")

OCR_LANG = "vie"
OCR_MAX_PAGES = 30
OCR_DPI = 300
TIMEOUT = 300  # seconds per external program run
# A PDF whose text layer has fewer letters than this per page is taken as a scan.
MIN_LETTERS_PER_PAGE = 20
_TAG = re.compile(r"<[^>]+>")


class ExtractionError(Exception):
    """The file could not be read; the message says why (for the log)."""


def _tesseract() -> str:
    """The path of Tesseract, when it is installed with its Vietnamese model."""
    program = shutil.which("tesseract")
    missing = (
        "tesseract with the 'vie' model is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    )
    if not program:
        raise ExtractionError(missing)
    try:
        out = subprocess.run(  # noqa: S603 - the installed program, fixed arguments
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        raise ExtractionError(f"{missing}: {exc}") from exc
    if OCR_LANG not in out.stdout.split():
        raise ExtractionError(missing)
    return program


def ocr_available() -> bool:
    try:
        _tesseract()
    except ExtractionError:
        return False
    return True


def ocr_image(path: Path) -> str:
    program = _tesseract()
    result = subprocess.run(  # noqa: S603 - the installed program, our own temporary file
        [program, str(path), "stdout", "-l", OCR_LANG],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise ExtractionError(f"tesseract failed: {result.stderr.strip()[:500]}")
    return result.stdout


def _ocr_pdf(data: bytes) -> str:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise ExtractionError("pdftoppm is not installed (apt-get install poppler-utils)")
    _tesseract()
    with tempfile.TemporaryDirectory(prefix="egov-ocr-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = [pdftoppm, "-r", str(OCR_DPI), "-l", str(OCR_MAX_PAGES), "-png", str(source), f"{folder}/p"]
        rendered = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)  # noqa: S603
        if rendered.returncode != 0:
            raise ExtractionError(f"pdftoppm failed: {rendered.stderr.decode(errors='replace')[:500]}")
        pages = sorted(Path(folder).glob("p*.png"))
        return "\n".join(ocr_image(page) for page in pages)


def _pdf_text_layer(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        texts = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise ExtractionError(f"unreadable PDF: {exc}") from exc
    return "\n".join(texts), max(1, len(texts))


def pdf_text(data: bytes) -> str:
    """The text layer, or OCR when the PDF is a scan (or one pypdf cannot parse: poppler, which
    renders it, is more lenient)."""
    try:
        text, pages = _pdf_text_layer(data)
    except ExtractionError as exc:
        log.info("search: no text layer read (%s); trying OCR", exc)
        text, pages = "", 1
    if sum(ch.isalpha() for ch in text) >= MIN_LETTERS_PER_PAGE * pages:
        return text
    return _ocr_pdf(data)


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ExtractionError(f"unreadable Word file: {exc}") from exc
    return _TAG.sub(" ", xml.replace("</w:p>", "\n"))


def text_of(data: bytes, *, content_type: str, name: str) -> str:
    """The text of a file's bytes, by its type."""
    lowered = name.lower()
    if content_type == "application/pdf" or lowered.endswith(".pdf"):
        return pdf_text(data)
    if content_type.startswith("image/"):
        suffix = Path(lowered).suffix or ".png"
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            handle.write(data)
            handle.flush()
            return ocr_image(Path(handle.name))
    if lowered.endswith(".docx"):
        return _docx_text(data)
    if content_type.startswith("text/"):
        return data.decode("utf-8", errors="replace")
    return ""


def file_extract_text(*, file_id: int) -> str:
    """Extract the text of a pending file, store it with its state, reindex the document.
    Returns the state written ("" when the file was not pending: another worker did it)."""
    from egov.documents.search.index import search_index_document

    f = DocumentFile.objects.filter(pk=file_id, text_state=TextState.PENDING).first()
    if f is None:
        return ""
    try:
        with f.file.open("rb") as handle:
            data = handle.read()
        text = text_of(data, content_type=f.content_type, name=f.name).replace("\x00", "").strip()
        state = TextState.DONE if text else TextState.EMPTY
    except (ExtractionError, OSError, subprocess.TimeoutExpired) as exc:
        log.warning("search: text of file %s (%s) not extracted: %s", f.pk, f.name, exc)
        text, state = "", TextState.FAILED
    # Conditional: a second worker on the same file writes nothing.
    updated = DocumentFile.objects.filter(pk=f.pk, text_state=TextState.PENDING).update(
        text=text, text_state=state
    )
    if updated:
        search_index_document(f.document_id)
    return str(state) if updated else ""


def files_extract_pending(*, limit: int = 200) -> int:
    """One pass over files still waiting for their text (the periodic job's share)."""
    ids = list(
        DocumentFile.objects.filter(text_state=TextState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if file_extract_text(file_id=pk))
