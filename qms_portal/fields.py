"""Form and serializer fields that apply the portal's input rules: the text rules of `qms_portal.text`, and
dates and years within a plausible range (a date in year 9999 made the 3-month due date overflow)."""


from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

from .dates import FIRST_DAY, LAST_DAY, WORK_YEARS, validate_plausible_date  # noqa: F401  (re-exported)
from .text import normalize_text

YEAR_BOUNDS = {"min_value": FIRST_DAY.year, "max_value": LAST_DAY.year}
WORK_YEAR_BOUNDS = {"min_value": WORK_YEARS[0], "max_value": WORK_YEARS[-1]}


def year_bounds(model_field: models.Field, kwargs: dict | None = None) -> dict:
    """min_value/max_value for a model's `year` number, which the database alone would let reach 32767; tighter
    bounds already in `kwargs` (from the model's own validators) are kept."""
    if not (model_field.name == "year" and isinstance(model_field, models.IntegerField)):
        return {}
    kwargs = kwargs or {}
    return {"min_value": max(kwargs.get("min_value") or YEAR_BOUNDS["min_value"], YEAR_BOUNDS["min_value"]),
            "max_value": min(kwargs.get("max_value") or YEAR_BOUNDS["max_value"], YEAR_BOUNDS["max_value"])}


class CleanCharField(serializers.CharField):
    """A DRF CharField that stores NFC text and rejects control and invisible characters."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            value = normalize_text(value, multiline=self.multiline)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        if not value and not self.allow_blank:
            self.fail("blank")
        return value


class CleanFormCharField(forms.CharField):
    """The same rules for Django forms."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value, multiline=self.multiline) if value else value


class BoundedDateField(serializers.DateField):
    """A DRF DateField within FIRST_DAY..LAST_DAY."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_date)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedFormDateField(forms.DateField):
    """A form DateField within FIRST_DAY..LAST_DAY, with the browser's date picker."""

    widget = DateInput
    default_validators = [validate_plausible_date]
