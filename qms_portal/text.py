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


# --- the same folding inside PostgreSQL --------------------------------------------------------------------------
# The database computes an agency's search text itself (a generated column), so every save path (service, API,
# admin, import, bulk_create, bulk_update, queryset.update) keeps it. `fold_sql_function` creates an IMMUTABLE SQL
# function doing what `fold` does with `translate`, `lower` and `regexp_replace` (no extension): every Latin letter
# with a diacritic (precomposed, upper or lower case) maps to its folded letter, combining marks (decomposed input)
# are dropped, other scripts are lower-cased, and whitespace runs become one space.
# tests/qms_portal/test_fold_sql.py checks that the function and `fold` agree on every character of the table.
_FOLD_RANGES = ((0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF))
_COMBINING_RANGE = (0x300, 0x36F)


def fold_translation() -> tuple[str, str, str]:
    """(characters, their folded replacements, characters to drop) for SQL `translate`."""
    source, target = [], []
    for start, end in _FOLD_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            folded = fold(char)
            if len(folded) == 1 and folded != char:
                source.append(char)
                target.append(folded)
    dropped = "".join(chr(code) for code in range(_COMBINING_RANGE[0], _COMBINING_RANGE[1] + 1))
    return "".join(source), "".join(target), dropped


def fold_sql_function(name: str = "qms_fold") -> str:
    """CREATE FUNCTION for `name(text) -> text`, equal to `fold` on Latin text (Vietnamese included)."""
    source, target, dropped = fold_translation()
    literal = lambda s: "'" + s.replace("'", "''") + "'"  # noqa: E731
    return (
        f"CREATE OR REPLACE FUNCTION {name}(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        f"$$ SELECT btrim(regexp_replace(lower(translate(value, {literal(source + dropped)}, {literal(target)})), "
        f"'[[:space:]]+', ' ', 'g')) $$;"
    )
