"""Form helpers shared by the apps' HTML views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models

from .errors import ConflictError
from .fields import BoundedFormDateField, DateInput, year_bounds

__all__ = ["DateInput", "add_service_errors", "attempt", "formfield_callback", "message_form_errors"]


def formfield_callback(field: models.Field, **kwargs):
    """Date fields within the plausible range with the browser's date picker; years within it too; everything
    else as Django builds it."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.update(form_class=BoundedFormDateField, widget=DateInput())
    return field.formfield(**{**year_bounds(field), **kwargs})


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def message_form_errors(request, form: forms.BaseForm, *, missing: str) -> None:
    """The errors of a form posted from a page that does not show it (an upload or import button) as messages:
    `missing` (what to do) when nothing was sent, the field's own reason otherwise (an empty file, too long a name)."""
    for errors in form.errors.as_data().values():
        for error in errors:
            messages.error(request, missing if error.code in {"required", "missing"} else " ".join(error.messages))


def attempt(form: forms.BaseForm, call) -> bool:
    """Run `call(cleaned_data)` if the form is valid; put any rule violation on the form. True on success."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    except ConflictError as exc:  # someone else changed the record meanwhile
        form.add_error(None, str(exc))
        form.conflict = str(exc)
        return False
    return True
