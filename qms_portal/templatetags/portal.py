from django import template
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def lookup(mapping, key):
    """`{% lookup row "name" %}`: a dictionary item chosen by a variable key."""
    return mapping.get(key, "") if hasattr(mapping, "get") else getattr(mapping, key, "")


@register.filter
def vn_number(value, decimals=0):
    """Thousands separated the local way: 1.234 in Vietnamese, 1,234 in English."""
    if value in (None, ""):
        return "—"
    return number_format(value, decimal_pos=decimals, force_grouping=True)
