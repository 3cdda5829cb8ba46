"""The portal's URLs plus three views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from qms_portal.urls import urlpatterns as portal_urlpatterns


def denied(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a damaged request")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/denied/", denied),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/broken/", broken),
    *portal_urlpatterns,
]
