"""`vn_number`: the counts of every page, grouped by thousands the local way, the quick path for ints equal to
Django's `number_format` whatever the value and language."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils.formats import number_format
from django.utils.translation import override

from qms_portal.templatetags.portal import vn_number


@pytest.mark.parametrize("language, value, shown", [
    ("vi", 0, "0"), ("vi", 999, "999"), ("vi", 1000, "1.000"), ("vi", 19334, "19.334"),
    ("vi", -1234567, "-1.234.567"), ("en", 19334, "19,334"), ("en", -1234567, "-1,234,567"),
    ("vi", Decimal("1234.5"), "1.234"), ("vi", 1234.4, "1.234"),
])
def test_thousands_are_grouped_the_local_way(language, value, shown):
    with override(language):
        assert vn_number(value) == shown
        assert vn_number(value) == number_format(value, decimal_pos=0, force_grouping=True)


@pytest.mark.parametrize("language, value, decimals, shown", [
    ("vi", 1234, 1, "1.234,0"), ("en", 1234, 2, "1,234.00"), ("vi", Decimal("12.345"), 1, "12,3"),
])
def test_decimals_asked_for_are_shown(language, value, decimals, shown):
    with override(language):
        assert vn_number(value, decimals) == shown


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_is_a_dash(value):
    assert vn_number(value) == "—"


def test_a_boolean_is_not_taken_for_a_count():
    with override("vi"):
        assert vn_number(True) == number_format(True, decimal_pos=0, force_grouping=True)


def test_formats_changed_by_a_setting_are_read_again():
    """A language without its own format module (Lao, here) takes the settings' separator and grouping."""
    with override("lo"), override_settings(FORMAT_MODULE_PATH=None, THOUSAND_SEPARATOR=" ", NUMBER_GROUPING=3):
        assert vn_number(19334) == "19 334"
    with override("lo"), override_settings(FORMAT_MODULE_PATH=None, THOUSAND_SEPARATOR="'", NUMBER_GROUPING=3):
        assert vn_number(19334) == "19'334"
    with override("lo"), override_settings(FORMAT_MODULE_PATH=None, THOUSAND_SEPARATOR="'", NUMBER_GROUPING=0):
        assert vn_number(19334) == number_format(19334, decimal_pos=0, force_grouping=True)
