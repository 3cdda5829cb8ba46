"""Refusals before any signature is checked: not a PDF, too large, unreadable, encrypted, active or attached content.

The PDF's object graph is walked with pypdf from the trailer (every object the viewer could reach, in the
latest revision), so a keyword inside a compressed object stream or a hex-escaped name is found, and a
keyword that only appears in page text is not.

Refused as JavaScript (code that runs when the file is opened or used):
- an action of type /JavaScript or /Launch, or any dictionary with a /JS entry (document, page, annotation
  and form-field actions, /OpenAction, /AA, chained /Next actions);
- the document-level /JavaScript name tree;
- an XFA form (/XFA), whose templates carry scripts.
An /OpenAction that only opens a page (a destination or a /GoTo action, as Word and LibreOffice write) is
allowed.

Refused as embedded files: the /EmbeddedFiles name tree, a file specification with an embedded stream (/EF),
/FileAttachment and /RichMedia annotations.
"""

import logging
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from ..uploads import detect_kind
from .result import Reason, lazy_filesize, lazy_message

logger = logging.getLogger(__name__)

CODE_ACTIONS = frozenset({"/JavaScript", "/Launch"})
# /JavaScript as a key is the document-level name tree of scripts (in the catalog's /Names).
CODE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
EMBEDDING_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
EMBEDDING_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia"})


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    message: Promise


def _refusal(reason: Reason) -> Refusal:
    messages = {
        Reason.NOT_PDF: _("The file is not a PDF. Upload the signed PDF file."),
        Reason.UNREADABLE: _("The PDF file is damaged and cannot be read."),
        Reason.ENCRYPTED: _("The PDF file is encrypted or password-protected. Upload a copy without a password."),
        Reason.JAVASCRIPT: _("The PDF file contains JavaScript or actions that run programs; it cannot be accepted "
                             "as an issued document."),
        Reason.EMBEDDED_FILE: _("The PDF file contains embedded (attached) files; it cannot be accepted as an "
                                "issued document."),
    }
    return Refusal(reason, messages[reason])


def _size_refusal(size: int) -> Refusal | None:
    limit = settings.FILE_UPLOAD_MAX_BYTES
    if size <= limit:
        return None
    return Refusal(Reason.TOO_LARGE, lazy_message(_("The file is too large (%(size)s); the limit is %(limit)s."),
                                                  size=lazy_filesize(size), limit=lazy_filesize(limit)))


def _children(value):
    if isinstance(value, DictionaryObject):
        return list(value.values())
    if isinstance(value, ArrayObject):
        return list(value)
    return []


def _dictionary_finding(obj: DictionaryObject) -> Reason | None:
    keys = set(obj.keys())
    if keys & CODE_KEYS or obj.get("/S") in CODE_ACTIONS:
        return Reason.JAVASCRIPT
    if keys & EMBEDDING_KEYS or obj.get("/Subtype") in EMBEDDING_ANNOTATIONS:
        return Reason.EMBEDDED_FILE
    return None


def active_content_find(reader: PdfReader) -> Reason | None:
    """JAVASCRIPT or EMBEDDED_FILE for the first such object reachable from the trailer, else None."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer.get("/Root"), reader.trailer.get("/Info")]
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            value = value.get_object()
        if isinstance(value, DictionaryObject) and (finding := _dictionary_finding(value)):
            return finding
        stack.extend(_children(value))
    return None


def pdf_refusal(content: bytes) -> tuple[Refusal | None, PdfReader | None]:
    """(a refusal, None) when the file may not go on to signature validation, else (None, its pypdf reader)."""
    if refusal := _size_refusal(len(content)):
        return refusal, None
    if detect_kind(BytesIO(content)) != "pdf":
        return _refusal(Reason.NOT_PDF), None
    try:
        reader = PdfReader(BytesIO(content), strict=False)
        if reader.is_encrypted:
            return _refusal(Reason.ENCRYPTED), None
        finding = active_content_find(reader)
    except Exception:  # untrusted input: whatever the parser trips on, the file is unreadable
        logger.info("Unreadable PDF upload", exc_info=True)
        return _refusal(Reason.UNREADABLE), None
    if finding:
        return _refusal(finding), None
    return None, reader
