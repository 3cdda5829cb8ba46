"""The portal's URLs plus the anchor: a bare Django view through the same middleware, on the same server."""

from django.http import HttpResponse
from django.urls import path

from qms_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *portal_urlpatterns]
