from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, override

from qms_portal.choices import object_label, value_label

register = template.Library()


@register.simple_tag
def lookup(mapping, key):
    """`{% lookup row "name" %}`: a dictionary item chosen by a variable key."""
    return mapping.get(key, "") if hasattr(mapping, "get") else getattr(mapping, key, "")


@register.filter
def label(obj, field_name: str):
    """`{{ agency|label:"kind" }}`: what `agency.get_kind_display` gives, without its cost on every row
    (`qms_portal.choices`). "" for no object (`agency.qms|label:"stage"` of an agency without a QMS record)."""
    if obj is None or obj == "":
        return ""
    return object_label(obj, field_name)


@register.filter
def vn_number(value, decimals=0):
    """Thousands separated the local way: 1.234 in Vietnamese, 1,234 in English."""
    if value in (None, ""):
        return "—"
    if not decimals and type(value) is int and (separator := _thousands_separator(get_language())):
        return f"{value:,}".replace(",", separator)  # a dashboard shows hundreds of counts: the quick way
    return number_format(value, decimal_pos=decimals, force_grouping=True)


@lru_cache
def _thousands_separator(language: str | None) -> str:
    """The language's separator when it groups by thousands (then `vn_number` of an int needs nothing else of
    `number_format`), else ""."""
    with override(language):
        return get_format("THOUSAND_SEPARATOR") if get_format("NUMBER_GROUPING") == 3 else ""


@receiver(setting_changed)
def _formats_changed(*, setting, **kwargs):
    """Read again after a test changes where the formats come from, as Django's own format cache is."""
    if setting in {"FORMAT_MODULE_PATH", "THOUSAND_SEPARATOR", "NUMBER_GROUPING"}:
        _thousands_separator.cache_clear()


@register.filter
def person(user) -> str:
    """`{{ user|person }}`: the name family name first ("Nguyễn Thị Lan"), or the username."""
    from qms_portal.people import person_name

    return person_name(user)


@register.filter
def index(sequence, position):
    """`{{ links|index:forloop.counter0 }}`"""
    try:
        return sequence[position]
    except (IndexError, KeyError, TypeError):
        return ""


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render one dashboard panel (see qms_portal.panels) with its own context."""
    from django.template.loader import render_to_string

    return render_to_string(panel["template"], panel["context"], request=context.get("request"))


@register.filter
def isodate(value):
    """A date kept as ISO text (in JSON event data) back to a date, so `|date:"d/m/Y"` can show it."""
    import datetime

    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@register.filter
def choice_label(value, field_path):
    """`{{ code|choice_label:"qms.QmsRecord.stage" }}`: the label of a stored choice code."""
    from django.apps import apps

    if value in (None, ""):
        return "—"
    app_label, model_name, field_name = field_path.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return value_label(field, value)


@register.simple_tag(takes_context=True)
def previous_page(context) -> str:
    """The page the user came from (the Referer), when it is a page of this portal and not the current one;
    "" otherwise. For the "back" link of the error pages, which works without JavaScript."""
    from django.core.exceptions import DisallowedHost
    from django.utils.http import url_has_allowed_host_and_scheme

    request = context.get("request")
    referer = request.META.get("HTTP_REFERER", "") if request is not None else ""
    if not referer:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(referer)
    if (parts.path, parts.query) == (request.path, request.META.get("QUERY_STRING", "")):
        return ""
    return referer
