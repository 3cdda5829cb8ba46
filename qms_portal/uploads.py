"""Uploaded files: recognised by their content (never by their name), size-limited, stored privately.

Allowed kinds: PDF, DOCX, XLSX, JPEG, PNG. DOCX and XLSX are ZIP containers; they are opened to check
their parts and their total unpacked size, so a ZIP bomb, a renamed archive or a document with macros (a
`vbaProject.bin` part, whatever the file is named) is refused.
"""

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
EXTENSIONS = {"pdf": {".pdf"}, "docx": {".docx"}, "xlsx": {".xlsx"}, "jpeg": {".jpg", ".jpeg"}, "png": {".png"}}
MAX_UNPACKED_RATIO = 100
MAX_ZIP_MEMBERS = 5000


def _zip_kind(fileobj) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return None
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
            packed = max(sum(m.compress_size for m in members), 1)
            if unpacked > settings.FILE_UPLOAD_MAX_BYTES * 10 or unpacked / packed > MAX_UNPACKED_RATIO:
                raise ValidationError(_("The file unpacks to far more than its size (a compressed bomb?)."),
                                      code="zip_bomb")
    except (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError, EOFError):
        # a damaged or crafted directory: zipfile raises BadZipFile, NotImplementedError (a ZIP version it cannot
        # read), UnicodeDecodeError (a name flagged UTF-8 that is not)...; none is an Office document
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names):
        raise ValidationError(_("Files with macros are not accepted; save the document without macros (as .docx "
                                "or .xlsx) and upload it again."), code="macros")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def detect_kind(fileobj) -> str | None:
    """The file's real kind from its first bytes (and for ZIP containers, their parts)."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fileobj)
    fileobj.seek(0)
    return kind


def validate_upload(uploaded, *, allowed: tuple[str, ...] = tuple(MIME_TYPES)) -> str:
    """Return the file's kind, or raise a translated ValidationError."""
    limit = settings.FILE_UPLOAD_MAX_BYTES
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded.size > limit:
        sizes = {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        raise ValidationError(_("The file is too large (%(size)s); the limit is %(limit)s.") % sizes, code="too_large")
    kind = detect_kind(uploaded)
    if kind not in allowed:
        raise ValidationError(_("Only these kinds of file are accepted: %(kinds)s.")
                              % {"kinds": ", ".join(k.upper() for k in allowed)}, code="kind")
    name = (uploaded.name or "").lower()
    if "." in name and "." + name.rsplit(".", 1)[-1] not in EXTENSIONS[kind]:
        raise ValidationError(_("The file's name says one kind but its content is %(kind)s.")
                              % {"kind": kind.upper()}, code="mismatch")
    return kind


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 16), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()
