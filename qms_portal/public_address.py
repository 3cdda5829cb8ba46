"""The portal's public address (PORTAL_BASE_URL): required in production by what serves people and prints links.

Checked when the web process starts (qms_portal.wsgi), when a worker starts (qms_portal.celery) and by Django's
system checks (`manage.py check`, `runserver`, `migrate`), but not by build steps that print nothing for anyone,
such as the Dockerfile's collectstatic.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

PROBLEM = ("PORTAL_BASE_URL must be the address people reach the portal at, e.g. https://qms.example.gov.vn "
           "(QR codes of reports and e-mail links use it).")


def portal_base_url_problem() -> str:
    """What is wrong with the configured address where one is required ("" when nothing is)."""
    if not getattr(settings, "PORTAL_BASE_URL_REQUIRED", False):
        return ""
    address = urlsplit(getattr(settings, "PORTAL_BASE_URL", "") or "")
    return "" if address.scheme in ("http", "https") and address.hostname else PROBLEM


def require_portal_base_url() -> None:
    problem = portal_base_url_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@register()
def portal_base_url_check(app_configs, **kwargs):
    problem = portal_base_url_problem()
    return [Error(problem, id="qms_portal.E001")] if problem else []
