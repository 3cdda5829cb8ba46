"""Calendar arithmetic shared by the apps."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)
# The years of the QMS obligations, plans and reports: from Decision 19/2014/QĐ-TTg.
WORK_YEARS = range(2014, LAST_DAY.year + 1)


def short_date(value: date | None) -> str:
    """A day as the pages and messages write it (the locale's short format: dd/mm/yyyy), "—" for none."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def validate_plausible_date(value: date | None) -> None:
    """Dates the portal takes from people: from 1990 (before Decision 19/2014 and ISO 9001:2008 alike) to 2100."""
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(_("Enter a date from %(first)s to %(last)s.")
                              % {"first": short_date(FIRST_DAY), "last": short_date(LAST_DAY)},
                              code="date_out_of_range")


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, the day clamped to the month's length (31/12 + 2 months = 28 or 29/02)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))
