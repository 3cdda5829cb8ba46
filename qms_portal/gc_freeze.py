"""Keep what a process loaded at start out of Python's garbage collections.

A web or worker process holds some 200,000 objects once Django, the URLconf, DRF and WeasyPrint are loaded, and
none of them ever becomes garbage. Python's collector still walks all of them in each full collection, and a
request or a task that allocates many objects (the national compliance view reads 20,000 agencies; a report lays
out thousands of boxes) triggers several: 76 ms of the national compliance view's 460 ms went to them, and 0.45 s
of a worker run that builds and renders two provincial reports (0.18 s frozen). `gc.freeze()` moves what is there
into a generation the collector skips (the Python documentation's recommendation for a server process); what
requests and tasks allocate is still collected as before. Measured in docs/bench-analysis.md.
"""

import gc
import logging

logger = logging.getLogger(__name__)


def freeze_loaded_objects() -> int:
    """Load what the first request would (the URLconf and the views it imports), collect the garbage of
    starting, and freeze the rest. Returns the number of objects frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view, serializer and form now, not on a request)
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.debug("%d objects loaded at start frozen out of garbage collection", frozen)
    return frozen
