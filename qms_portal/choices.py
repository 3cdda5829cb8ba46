"""The label of a model field's choice, what `get_FOO_display` gives, from the choices read once per process.

Django's `get_FOO_display` rebuilds the field's choices and translates every one of them on each call (48 us against
2 us here), which a list pays once per row. The labels stay lazy, so each is translated into the reader's language
when shown. Used by the `label` and `choice_label` template filters, the serializers' `ChoiceLabelField` and
the field-by-field history (`qms_portal.history`).
"""

from functools import cache

from django.utils.encoding import force_str


def object_label(obj, field_name: str):
    """The label of `obj`'s choice for its field `field_name`."""
    field = obj._meta.get_field(field_name)
    return value_label(field, getattr(obj, field.attname))


def value_label(field, value):
    """The label of `value` among the choices of model field `field`; a value outside them as it is."""
    return force_str(_labels(field).get(value, value), strings_only=True)


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)
