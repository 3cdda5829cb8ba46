"""Ids in request bodies, resolved through the caller's scope.

A body field that names another object (an agency, an inspection, a period, an internal audit...) is looked up only
among the rows the caller may reach: an id outside them gets exactly the answer of an id that does not exist, with
no name, so the API is no oracle of what other provinces hold.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.INT)
class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """`scope(serializer_context) -> QuerySet`: the rows the id may name (the context holds the request, and what
    the view adds, such as the QMS record a part belongs to)."""

    def __init__(self, *, scope: Callable[[dict], QuerySet], **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context)


def user_of(context: dict):
    return context["request"].user
