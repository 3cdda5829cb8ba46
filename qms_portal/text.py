"""Text hygiene shared by forms, serializers and models: NFC, no control or invisible characters, folding for
search."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters except tab, line feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters that change how text reads without being seen: bidirectional embeddings, overrides and isolates
# (a name or file name that displays "gpj.exe" as "exe.jpg"), and zero-width spaces, joiners and the BOM (two
# names that look the same but differ).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")

CONTROL_MESSAGE = _("The text contains control characters that are not allowed.")
INVISIBLE_MESSAGE = _("The text contains invisible characters (text direction marks or zero-width characters) "
                      "that are not allowed; type it again or paste it as plain text.")


def _refuse_hidden(value: str, control: re.Pattern) -> None:
    if control.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_chars")
    if _INVISIBLE.search(value):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible_chars")


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """Return `value` in NFC with surrounding blanks removed; reject control and invisible characters."""
    value = unicodedata.normalize("NFC", value).strip()
    _refuse_hidden(value, _CONTROL if multiline else _SINGLE_LINE_CONTROL)
    return value


def validate_no_control_characters(value: str) -> None:
    if isinstance(value, str):
        _refuse_hidden(value, _CONTROL)


def fold(value: str) -> str:
    """Lower-case `value` and strip Vietnamese diacritics: "Sở Khoa học" -> "so khoa hoc"."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
