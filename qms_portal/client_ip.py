"""The client's address, decided in one place for the lockout (django-axes), the API throttles and the audit log.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as the deployment says
proxies of its own append to it: with `TRUSTED_PROXY_COUNT = N` (N > 0), the client is the N-th address from the
right, the one the outermost trusted proxy saw; with 0 (the default) the header is ignored and the address is the
peer's own, `REMOTE_ADDR`. DRF's throttles follow the same rule through `NUM_PROXIES`, set from the same setting.
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, or None when the request carries no valid one."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = forwarded.split(",")
    return _address(hops[-min(count, len(hops))]) or remote
