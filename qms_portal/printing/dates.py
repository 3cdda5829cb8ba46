"""Dates as Decree 30/2020 writes them: "ngày 02 tháng 12 năm 2024", "An Giang, ngày 15 tháng 3 năm 2025".

Days under 10 and the months January and February take a leading zero; months 3-12 do not.
"""

from datetime import date


def vietnamese_date(d: date) -> str:
    """Return "ngày 05 tháng 01 năm 2026" for 5 January 2026."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: date) -> str:
    """Return the place and date line of a document header: "An Giang, ngày 02 tháng 12 năm 2024"."""
    return f"{place}, {vietnamese_date(d)}"


def short_date(d: date) -> str:
    """Return dd/mm/yyyy: "02/12/2024"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
