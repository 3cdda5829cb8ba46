"""Keep the province and national dashboard figures ready, so that no leader waits for them to be computed.

The worker (beat, every minute) renders the national dashboard's panels as a national reader would, with every
figure recomputed (`qms_portal.panels.figures_refreshing`): the nation's figures are the sum of the provinces'
(`dashboard_figures.shared_figures`), so this recomputes every province's figures too, under the keys the province
dashboards read. The same code and the same cache keys serve the readers and the worker.
"""

import logging
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from qms_portal.panels import collect_panels, figures_refreshing

from .dashboard_figures import national_reader, province_ids
from .stats import national_counts

logger = logging.getLogger(__name__)


def dashboards_warm() -> dict:
    """Recompute the figures of the nation and of every province; returns {"scopes": n, "seconds": s}."""
    if not getattr(settings, "DASHBOARD_CACHE_SECONDS", 0):
        return {"scopes": 0, "seconds": 0.0}
    started = time.monotonic()
    request = HttpRequest()
    request.user = national_reader()
    with translation.override(settings.LANGUAGE_CODE), figures_refreshing():
        collect_panels(request)
        national_counts(user=request.user, year=timezone.localdate().year)
    scopes = 1 + len(province_ids())
    elapsed = round(time.monotonic() - started, 2)
    logger.info("dashboard figures of %d scopes recomputed in %.2f s", scopes, elapsed)
    return {"scopes": scopes, "seconds": elapsed}
