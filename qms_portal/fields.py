"""Form and serializer fields that apply the text rules of `qms_portal.text`."""

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from .text import normalize_text


class CleanCharField(serializers.CharField):
    """A DRF CharField that stores NFC text and rejects control characters."""

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
