from datetime import date

import pytest

from qms_portal.printing.dates import place_date_line, short_date, vietnamese_date


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 12, 2), "ngày 02 tháng 12 năm 2024"),  # day under 10: leading zero
        (date(2025, 3, 15), "ngày 15 tháng 3 năm 2025"),  # months 3-12: no leading zero
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),  # months 1-2: leading zero
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2025, 10, 10), "ngày 10 tháng 10 năm 2025"),
    ],
)
def test_vietnamese_date_follows_decree_30(d, expected):
    assert vietnamese_date(d) == expected


def test_place_date_line():
    assert place_date_line("An Giang", date(2024, 12, 2)) == "An Giang, ngày 02 tháng 12 năm 2024"
    assert place_date_line("Cao Bằng", date(2025, 3, 15)) == "Cao Bằng, ngày 15 tháng 3 năm 2025"


@pytest.mark.parametrize(
    ("d", "expected"),
    [(date(2024, 12, 2), "02/12/2024"), (date(2025, 3, 15), "15/03/2025"), (date(2026, 1, 5), "05/01/2026")],
)
def test_short_date_is_dd_mm_yyyy(d, expected):
    assert short_date(d) == expected
