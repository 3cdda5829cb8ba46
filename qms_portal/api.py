"""API conventions shared by every app: pagination and one error contract."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import CONCURRENT_WRITE, ConflictError
from .queries import InvalidQuery, counted_ids, int_param, rows_page

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """`page` and `page_size` must be whole numbers from 1 (400 otherwise); a larger page size is capped."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        size = int_param(request.query_params, self.page_size_query_param, minimum=1)
        return min(size, self.max_page_size) if size else self.page_size

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return int_param(request.query_params, self.page_query_param, minimum=1) or 1

    def paginate_ids(self, items, request, view=None, *, one_pass: bool = True) -> list:
        """`paginate_queryset` for the ids of a large result (a queryset of models) in one query instead of two:
        the page's ids with the number of matches (`qms_portal.queries.counted_ids`). A page past the end is
        DRF's 404, "last" pages as DRF does. Not `one_pass`: a COUNT and a slice, as `page_of_ids`."""
        if not one_pass or request.query_params.get(self.page_query_param) in self.last_page_strings:
            return self.paginate_queryset(items.values_list("pk", flat=True), request, view)
        self.request = request
        number = self.get_page_number(request, None)
        self.page = rows_page(counted_ids(items), self.get_page_size(request), number)
        if self.page is None:
            raise exceptions.NotFound(self.invalid_page_message)
        return [row["pk"] for row in self.page]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record was changed by someone else. Reload it and try again.")
    default_code = "conflict"


def _validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errors.messages] if hasattr(errors, "messages") else errors
                for field, errors in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    """Domain and Django errors to DRF's answers: ValidationError 400, InvalidQuery 400 naming the parameter,
    Http404 404, PermissionDenied 403, ConflictError 409, and a unique constraint lost to a concurrent writer
    (IntegrityError: the services check uniqueness first, so only a race gets here) 409, never 500."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, InvalidQuery):
        exc = exceptions.ValidationError(exc.errors)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args[:1])
    elif isinstance(exc, ConflictError):
        exc = Conflict(*exc.args[:1])
    elif isinstance(exc, IntegrityError):
        logger.warning("Concurrent write refused by the database: %s", exc)
        exc = Conflict(CONCURRENT_WRITE)
    return drf_exception_handler(exc, context)
