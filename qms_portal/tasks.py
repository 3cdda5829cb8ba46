from celery import shared_task
from django.core.cache import cache

from .exports.tasks import exports_tidy, make_export  # noqa: F401  (registered with the worker)
from .imports.tasks import run_import  # noqa: F401  (registered with the worker)


@shared_task(name="qms_portal.echo_to_cache")
def echo_to_cache(key: str, value: str, timeout: int = 60) -> None:
    """A round trip through the broker and a worker: used by the health checks and their tests."""
    cache.set(key, value, timeout=timeout)
