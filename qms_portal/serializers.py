"""Serializer bases shared by the apps."""

from django.db import models
from rest_framework import serializers

from .fields import BoundedDateField, CleanCharField, year_bounds


class CleanModelSerializer(serializers.ModelSerializer):
    """Model serializers whose text fields store NFC and refuse control and invisible characters, and whose dates
    and years stay within the plausible range of qms_portal.fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CleanCharField,
        models.TextField: CleanCharField,
        models.DateField: BoundedDateField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and field_class is CleanCharField:
            kwargs["multiline"] = True
        return field_class, {**kwargs, **year_bounds(model_field, kwargs)}
