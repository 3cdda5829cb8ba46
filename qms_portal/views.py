from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .queries import InvalidQuery


@never_cache
@require_GET
def healthz(request):
    report = health_report()
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)


def bad_request(request, exception):
    """400: a query-string parameter with a value that is not valid is named on the page; anything else (a
    suspicious request, perhaps with a host we do not serve) gets Django's plain page, rendered without it."""
    if isinstance(exception, InvalidQuery):
        return render(request, "400.html", {"errors": exception.errors}, status=400)
    return defaults.bad_request(request, exception)
