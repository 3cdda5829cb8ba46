"""Keep the province and national dashboard figures ready, so that no leader waits for them to be computed.

The worker (beat, every minute) recomputes the shared figures of every scope that has a reader: the nation,
and each province with a provincial account. It renders the panels as one reader of that scope would, so the
same code and the same cache keys (qms_portal.panels.figures_cached) serve both.
"""

import logging
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from qms_portal.panels import collect_panels, figures_refreshing

from .models import NATIONAL_ROLES, PROVINCE_ROLES, Membership
from .stats import national_counts

logger = logging.getLogger(__name__)


def readers_by_scope() -> list:
    """One active account per scope (a user, with its membership): the first national one, and the first of
    each province."""
    memberships = (Membership.objects.filter(user__is_active=True, role__in=[*NATIONAL_ROLES, *PROVINCE_ROLES])
                   .select_related("user").order_by("province_id", "pk"))
    readers, seen = [], set()
    for membership in memberships:
        scope = "national" if membership.role in NATIONAL_ROLES else membership.province_id
        if scope not in seen:
            seen.add(scope)
            readers.append(membership.user)
    return readers


def dashboards_warm() -> dict:
    """Recompute the figures of every scope; returns {"scopes": n, "seconds": s}."""
    if not getattr(settings, "DASHBOARD_CACHE_SECONDS", 0):
        return {"scopes": 0, "seconds": 0.0}
    started = time.monotonic()
    readers = readers_by_scope()
    with translation.override(settings.LANGUAGE_CODE), figures_refreshing():
        for user in readers:
            request = HttpRequest()
            request.user = user
            collect_panels(request)
            if user.membership.role in NATIONAL_ROLES:
                national_counts(user=user, year=timezone.localdate().year)
    elapsed = round(time.monotonic() - started, 2)
    logger.info("dashboard figures of %d scopes recomputed in %.2f s", len(readers), elapsed)
    return {"scopes": len(readers), "seconds": elapsed}
