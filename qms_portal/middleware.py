import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .errors import CONCURRENT_WRITE, ConflictError

logger = logging.getLogger(__name__)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese unless the user chose another language (the language cookie).

    Browsers in Vietnamese offices often send `Accept-Language: en-US`; that must not turn the portal
    English. API clients may still ask for a language with Accept-Language.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- JSON bodies --------------------------------------------------------------------------------------------

MAX_JSON_DEPTH = 32
# A whole string (its escapes included) or a bracket: brackets inside strings do not count.
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def json_nesting_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `limit`, read from its bytes without parsing."""
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        bracket = token.group()
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in (b"]", b"}"):
            depth -= 1
    return False


class JsonBodyLimitMiddleware:
    """JSON request bodies larger than DATA_UPLOAD_MAX_MEMORY_SIZE (413) or nested deeper than MAX_JSON_DEPTH
    (400) are refused before any parser reads them: Python's json recursed until RecursionError (a 500) on a
    body of a few kilobytes of brackets, also on the unauthenticated token endpoint.

    A middleware rather than a DRF parser: views may pin their parsers (DRF's ObtainAuthToken does), and every
    JSON body must pass here whatever parser reads it next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "application/json" or request.content_type.endswith("+json"):
            try:
                body = request.body  # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE
            except RequestDataTooBig:
                limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return JsonResponse({"detail": _("The request body is too large; the limit is %(limit)s.")
                                     % {"limit": limit}}, status=413)
            if json_nesting_exceeds(body):
                return JsonResponse({"detail": _("The JSON body is nested more than %(depth)s levels deep.")
                                     % {"depth": MAX_JSON_DEPTH}}, status=400)
        return self.get_response(request)


# --- error pages ---------------------------------------------------------------------------------------------


class PrivateResponsesMiddleware:
    """What a signed-in user is shown (a page, an API answer for a session or a token) is theirs and their scope's:
    no shared cache keeps it and the browser does not store it, so that it cannot be read again from a shared
    office computer after signing out. A view that says how its answer may be cached is left as it said."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # an API token's user too: DRF sets it on the request it wraps
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class ErrorPagesMiddleware:
    """The pages' side of the error contract (the API's is qms_portal.api.exception_handler): a conflict, or a
    unique constraint lost to a concurrent writer, is a 409 page saying to reload, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, IntegrityError):
            logger.warning("Concurrent write refused by the database: %s", exception)
            message = CONCURRENT_WRITE
        elif isinstance(exception, ConflictError):
            message = str(exception)
        else:
            return None
        return render(request, "409.html", {"message": message}, status=409)
