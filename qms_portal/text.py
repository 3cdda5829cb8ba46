"""Text hygiene shared by forms, serializers and models: NFC, no control characters, folding for search."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters except tab, line feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """Return `value` in NFC with surrounding blanks removed; reject control characters."""
    value = unicodedata.normalize("NFC", value).strip()
    pattern = _CONTROL if multiline else _SINGLE_LINE_CONTROL
    if pattern.search(value):
        raise ValidationError(_("The text contains control characters that are not allowed."), code="control_chars")
    return value


def validate_no_control_characters(value: str) -> None:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(_("The text contains control characters that are not allowed."), code="control_chars")


def fold(value: str) -> str:
    """Lower-case `value` and strip Vietnamese diacritics: "Sở Khoa học" -> "so khoa hoc"."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
