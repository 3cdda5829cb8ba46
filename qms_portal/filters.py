"""django-filter filters that refuse what they cannot use (400 naming the parameter, with
qms_portal.queries.filtered for the pages and DRF's DjangoFilterBackend for the API) instead of ignoring it or
letting the database fail on it."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .fields import YEAR_BOUNDS
from .queries import MAX_ID


class IdFilter(django_filters.NumberFilter):
    """A whole number within what the database can hold: anything else is a 400, not a crash."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**YEAR_BOUNDS, **kwargs})


class StrictNullBooleanField(forms.NullBooleanField):
    """true/false/1/0 (any case), or nothing; NullBooleanField turned any other value into "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        raise ValidationError(_("Write true or false."), code="invalid")


class StrictBooleanWidget(BooleanWidget):
    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        parsed = super().value_from_datadict(data, files, name)
        return value if parsed is None and value not in (None, "") else parsed


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", StrictBooleanWidget)
        super().__init__(*args, **kwargs)
