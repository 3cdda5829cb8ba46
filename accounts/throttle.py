"""Failed sign-ins from one client address, limited on the sign-in pages (the portal's and the admin's) at the rate
of the token API's throttle (REST_FRAMEWORK's "login" rate, 10 a minute): the lockout (django-axes) counts failures
per account and address, which let one password be tried on every account from one address without end. Only
failures count here, so an office behind one address still signs its people in at the start of the day. The address
is `qms_portal.client_ip`'s, as for the lockout and the API's throttles."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from qms_portal.client_ip import client_ip


def _key(request) -> str:
    return f"sign-in-failures:{client_ip(request) or 'unknown'}"


def _recent(request, now: float) -> tuple[list[float], int, int]:
    limit, window = SimpleRateThrottle.parse_rate(None, settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"])
    return [t for t in cache.get(_key(request), []) if t > now - window], limit, window


def sign_in_held_back(request) -> bool:
    """Whether the request's address has failed to sign in as often as the rate allows, within its window."""
    history, limit, _window = _recent(request, time.time())
    return len(history) >= limit


def sign_in_failed(request) -> None:
    """Count one failed sign-in from the request's address."""
    now = time.time()
    history, limit, window = _recent(request, now)
    cache.set(_key(request), [now, *history][:limit], window)
