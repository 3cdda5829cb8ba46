"""Serializer bases shared by the apps."""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import object_label
from .fields import BoundedDateField, CleanCharField, year_bounds


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.ReadOnlyField):
    """The label of the object's choice for model field `field_name`, in the caller's language: what
    `source="get_FOO_display"` gives, without its cost on every item of a list (`qms_portal.choices`)."""

    def __init__(self, field_name: str, **kwargs):
        self.choice_field = field_name
        super().__init__(source="*", **kwargs)

    def to_representation(self, value):
        return object_label(value, self.choice_field)


class NullWhenBlankField(serializers.CharField):
    """A text the model stores blank until it is given (a document's number before it is issued), shown as null
    then: "not yet" is said one way across the API."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


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
