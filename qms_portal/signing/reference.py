"""Does the signed PDF carry the number and date the register expects? Differences are warnings, not errors.

The header of an official document (Decree 30/2020) prints "Số: 05/BC-SKHCN" on the left and
"An Giang, ngày 02 tháng 12 năm 2024" on the right of page 1. Their text is extracted with pypdf; a scanned
page without a text layer yields "not found" warnings.
"""

import logging
import re
import unicodedata
from datetime import date
from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from ..printing import short_date
from .result import lazy_message

logger = logging.getLogger(__name__)

NUMBER = re.compile(r"\bSố\s*:\s*(\d+\s*/\s*[^\s,;]+)", re.IGNORECASE)
DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def first_page_text(reader: PdfReader) -> str:
    """Page 1's text in NFC with runs of blanks collapsed; "" when it has none or cannot be read."""
    try:
        text = reader.pages[0].extract_text() if reader.pages else ""
    except Exception:  # untrusted input: an unreadable text layer is the same as none
        logger.info("No text on page 1 of an uploaded PDF", exc_info=True)
        return ""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _number_key(number: str) -> str:
    """Compare numbers the way a clerk does: "05/BC-SKHCN" = "5 / bc-skhcn"."""
    compact = "".join(unicodedata.normalize("NFC", number).split()).casefold()
    return re.sub(r"^0+(?=\d)", "", compact)


def _printed_date(text: str) -> date | None:
    if not (match := DATE.search(text)):
        return None
    day, month, year = (int(group) for group in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number_warning(text: str, expected: str) -> Promise | None:
    if not (match := NUMBER.search(text)):
        return lazy_message(_("No number (“Số: …”) was found on the first page; the register says %(expected)s."),
                            expected=expected)
    found = "".join(match.group(1).split())
    if _number_key(found) != _number_key(expected):
        return lazy_message(_("The document is numbered %(found)s but the register says %(expected)s."),
                            found=found, expected=expected)
    return None


def _date_warning(text: str, expected: date) -> Promise | None:
    found = _printed_date(text)
    if found is None:
        return lazy_message(_("No date (“ngày … tháng … năm …”) was found on the first page; the register says "
                              "%(expected)s."), expected=short_date(expected))
    if found != expected:
        return lazy_message(_("The document is dated %(found)s but the register says %(expected)s."),
                            found=short_date(found), expected=short_date(expected))
    return None


def printed_reference_warnings(content: bytes | PdfReader, *, expected_number: str | None = None,
                               expected_date: date | None = None) -> tuple[Promise, ...]:
    """Warnings where page 1's printed number or date differs from the expected ones (None: not compared)."""
    if expected_number is None and expected_date is None:
        return ()
    reader = content if isinstance(content, PdfReader) else PdfReader(BytesIO(content), strict=False)
    text = first_page_text(reader)
    warnings = [
        _number_warning(text, expected_number) if expected_number is not None else None,
        _date_warning(text, expected_date) if expected_date is not None else None,
    ]
    return tuple(w for w in warnings if w is not None)
