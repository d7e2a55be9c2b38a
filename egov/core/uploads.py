"""Checking uploaded files by their content, not their name, and serving them back safely.

Rules (docs/operations.md, "Uploaded files"):

- the type comes from the bytes: PDF must begin with ``%PDF-`` at byte 0, JPEG and PNG with their
  signatures; Office files are zip packages checked structurally (an OOXML ``[Content_Types].xml``
  naming the main part of the declared kind, the part present, at most
  ``EGOV_UPLOAD_UNPACKED_MAX_BYTES`` unpacked and ``EGOV_UPLOAD_ZIP_MAX_ENTRIES`` entries);
- a PDF or image holding HTML markup (``<script``, ``<iframe``... anywhere; ``<html``, ``<body``...
  in its first KiB) is refused: such a polyglot is what a browser that sniffs content would render as a page;
- the name's extension, when it has one, must be the detected type's;
- every stored file is served as an attachment, under a cleaned name with the stored type's
  extension, with ``X-Content-Type-Options: nosniff`` (SecurityMiddleware).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a civil servant may attach: scans and office documents.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    DOCX: "docx",
    XLSX: "xlsx",
}
# Names a user may give a file of each type (a scanner's "scan.jpeg" is as good as "scan.jpg").
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg", "jpe"},
    "image/png": {"png"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
}
# The content type [Content_Types].xml gives the main part of each OOXML kind (macro-free only).
OOXML_MAIN_PART = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
OOXML_DEFAULT_PART = {DOCX: "/word/document.xml", XLSX: "/xl/workbook.xml"}
# Markup that makes a browser render bytes as a page; none of it belongs in a scan or a PDF.
# Long tags are looked for in the whole file; short ones only where sniffers look (the first
# KiB), since a 4-5 byte pattern turns up by chance in megabytes of compressed image data.
_MARKUP = (b"<script", b"<iframe", b"<!doctype", b"<object", b"<embed")
_MARKUP_HEAD = (*_MARKUP, b"<html", b"<body", b"<svg", b"<head", b"<meta")
_MARKUP_OVERLAP = max(len(m) for m in _MARKUP) - 1
_CONTENT_TYPES_MAX = 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def _refuse_type() -> ValidationError:
    return ValidationError(
        _("Only PDF, JPEG, PNG, DOCX or XLSX files are accepted; this file is not one of them.")
    )


def _contains_markup(upload: Any, head: bytes) -> bool:
    if any(marker in head[:1024].lower() for marker in _MARKUP_HEAD):
        return True
    tail = b""
    for chunk in upload.chunks():
        window = (tail + chunk).lower()
        if any(marker in window for marker in _MARKUP):
            return True
        tail = window[-_MARKUP_OVERLAP:]
    return False


def _ooxml_kind(upload: IO[bytes]) -> str:
    """The OOXML type of a zip package, from its own [Content_Types].xml, or a ValidationError.

    Only the zip directory and one small entry are read: nothing is unpacked, so a zip bomb
    costs nothing more than its directory."""
    try:
        package = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse_type() from None
    with package:
        entries = package.infolist()
        if len(entries) > settings.EGOV_UPLOAD_ZIP_MAX_ENTRIES:
            raise ValidationError(_("The document holds too many parts to be checked."))
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > settings.EGOV_UPLOAD_UNPACKED_MAX_BYTES:
            raise ValidationError(
                _("The document unpacks to more than %(mb)s MB; it is refused.")
                % {"mb": settings.EGOV_UPLOAD_UNPACKED_MAX_BYTES // (1024 * 1024)}
            )
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names:
            raise _refuse_type()
        info = package.getinfo("[Content_Types].xml")
        if info.file_size > _CONTENT_TYPES_MAX:
            raise _refuse_type()
        try:
            with package.open(info) as stream:
                manifest = stream.read(_CONTENT_TYPES_MAX).decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            raise _refuse_type() from None
    # A regular expression rather than an XML parser: no entity expansion to worry about, and
    # all we need is which main part the package declares and that the part is really there.
    for element in re.findall(r"<(?:\w+:)?(?:Override|Default)\b[^>]*>", manifest):
        declared = _attribute(element, "ContentType")
        # An Override names its part; a Default (by extension) leaves the conventional one.
        part = _attribute(element, "PartName")
        for kind, main in OOXML_MAIN_PART.items():
            if declared == main and (part or OOXML_DEFAULT_PART[kind]).lstrip("/") in names:
                return kind
    raise _refuse_type()


def _attribute(element: str, name: str) -> str:
    found = re.search(rf"\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", element)
    return (found.group(1) or found.group(2) or "").strip() if found else ""


def _extension_of(name: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    return suffix[1:].lower() if suffix else ""


def check_upload(
    upload: Any, *, allowed: dict[str, str] | None = None, max_bytes: int | None = None
) -> CheckedUpload:
    """Refuse files that are too large or whose bytes are not an allowed type (whatever the name says)."""
    allowed = allowed or ALLOWED
    limit = max_bytes or settings.EGOV_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (maximum %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        # Sniffers guess Office files from the first entry's name; the package itself decides here.
        mime = _ooxml_kind(upload)
        upload.seek(0)
    else:
        kind = filetype.guess(head)
        mime = kind.mime if kind else ""
        if mime == "application/pdf" and not head.startswith(b"%PDF-"):
            raise _refuse_type()
        if mime in allowed and _contains_markup(upload, head):
            upload.seek(0)
            raise ValidationError(_("The file contains web page code; save it again as a plain document."))
        upload.seek(0)
    if mime not in allowed:
        raise _refuse_type()
    extension = _extension_of(getattr(upload, "name", "") or "")
    if extension and extension not in EXTENSIONS.get(mime, {allowed[mime]}):
        raise ValidationError(
            _("The file name ends in .%(given)s but the file is a %(actual)s document.")
            % {"given": extension, "actual": allowed[mime].upper()}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=mime, extension=allowed[mime], size=upload.size, sha256=digest.hexdigest()
    )


# ---------------------------------------------------------------- serving


def safe_filename(name: str, *, extension: str = "") -> str:
    """A download name with no path, control characters or quotes, ending in ``extension``.

    The stored extension wins over the one the uploader chose: a PDF is never offered as .html."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '"*:<>?|;')
    base = " ".join(base.split()).strip(" .")
    if extension:
        stem, dot, current = base.rpartition(".")
        if not dot or current.lower() not in {extension.lower(), *_aliases(extension)}:
            stem = base
        base = f"{stem.strip(' .') or 'tep'}.{extension}"
    return base[-200:] or "tep"


def _aliases(extension: str) -> set[str]:
    for names in EXTENSIONS.values():
        if extension.lower() in names:
            return names
    return set()


def ascii_filename(name: str) -> str:
    """The ASCII fallback for clients that ignore ``filename*``: Vietnamese letters lose their marks."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    cleaned = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", ascii_only).strip(" ._")
    return cleaned or "file"


def attachment_response(fileobj: Any, *, content_type: str, name: str, stored_name: str = "") -> FileResponse:
    """Serve a stored file as a download, never inline: the browser does not render it as a page.

    ``stored_name`` (the file's path in storage, named by us) gives the extension to offer."""
    extension = _extension_of(stored_name) if stored_name else _extension_of(name)
    clean = safe_filename(name, extension=extension)
    fallback = ascii_filename(clean)
    response = FileResponse(fileobj, content_type=content_type, as_attachment=True, filename=fallback)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
