"""The database's `qms_fold` equals `qms_portal.text.fold`, so a search folded in Python finds text folded in SQL."""

import unicodedata

import pytest
from django.db import connection

from qms_portal.text import fold, fold_translation

pytestmark = pytest.mark.django_db


def _sql_fold(values: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT qms_fold(v) FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n", [values])
        return [row[0] for row in cursor.fetchall()]


def test_every_character_of_the_table_folds_alike():
    source, _, _ = fold_translation()
    chars = list(source)
    assert _sql_fold(chars) == [fold(c) for c in chars]


@pytest.mark.parametrize("text", [
    "Trường THCS Mỹ Bình", "ĐẶNG THỊ ĐÀO", "Sở Khoa học và Công nghệ  SKHCN", "  Ủy ban   nhân dân xã Ia Grai ",
    "Phường Long Xuyên", "Ngữ văn ỹ ỵ ỷ Ỹ",
])
def test_names_fold_alike_composed_or_decomposed(text):
    nfd = unicodedata.normalize("NFD", text)
    assert _sql_fold([text, nfd]) == [fold(text), fold(text)]


def test_the_function_is_immutable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'qms_fold'")
        assert cursor.fetchone()[0] == "i"
