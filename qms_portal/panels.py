"""Dashboard panels contributed by the apps, found at run time like Django's admin autodiscovery.

Each installed app may have a `dashboard` module with `panels(request) -> list[dict]`; a panel is
{"template": ..., "context": {...}, "order": int}. The home page shows them in order, so a lower app
(agencies) shows what higher apps (audits, reports) know without importing them.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def collect_panels(request) -> list[dict]:
    panels = []
    for config in apps.get_app_configs():
        name = f"{config.name}.dashboard"
        if config.name.startswith("django") or not find_spec(config.name) or not find_spec(name):
            continue
        panels += import_module(name).panels(request) or []
    return sorted(panels, key=lambda panel: panel.get("order", 100))


def chart_spec(*, labels, datasets, stacked=False, percent=False, horizontal=False) -> dict:
    """The JSON a `<canvas data-chart>` reads (static/js/dashboard.js draws it with Chart.js). A dataset is
    {"label", "data", "links"} and optionally "tone" ("bad", "warn", "good", "info") for a colour that says what
    the series means; without it the series take the palette in order."""
    return {"labels": [str(label) for label in labels], "datasets": datasets, "stacked": stacked,
            "percent": percent, "horizontal": horizontal}


def counts_added(many: list[dict]) -> dict:
    """The sum of nested counts ({key: n} or {key: {key: n}}, to any depth), key by key: the figures of several
    provinces together."""
    total: dict = {}
    for counts in many:
        for key, value in counts.items():
            if isinstance(value, dict):
                total[key] = counts_added([total.get(key, {}), value])
            else:
                total[key] = total.get(key, 0) + value
    return total


_refreshing: ContextVar[bool] = ContextVar("dashboard_figures_refreshing", default=False)


def _shared_seconds() -> int:
    from django.conf import settings

    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)


def _figures_keys(keys) -> dict[str, str]:
    """{key: cache key}: the figures of today (a new day starts with figures judged at its date)."""
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    return {key: f"figures:{key}:{today}" for key in keys}


def figures_cached(key: str, compute):
    """Dashboard figures shared by everyone with the same scope, kept `DASHBOARD_CACHE_SECONDS` (a couple of
    minutes: leaders read trends, not the last second). `key` names the figures and the scope, e.g.
    "qms-overview:province:79"; the value must not depend on the language (numbers and codes, no labels).
    Inside `figures_refreshing()` (the worker's warming task) the figures are recomputed and stored whatever
    the cache holds, so that readers find them ready."""
    return figures_each({key: compute})[key]


def figures_kept(keys: list[str]) -> dict:
    """{key: figures} of those of `keys` the cache holds now (one round trip); nothing inside `figures_refreshing()`,
    where every figure is to be recomputed, or when figures are not shared."""
    from django.core.cache import cache

    if not _shared_seconds() or _refreshing.get():
        return {}
    cache_keys = _figures_keys(keys)
    found = cache.get_many(list(cache_keys.values()))
    return {key: found[cache_key] for key, cache_key in cache_keys.items() if cache_key in found}


def figures_each(computes: dict) -> dict:
    """{key: figures} for several figures at once ({key: compute}), as `figures_cached` keeps each: read in one
    round trip to the cache, the missing ones computed and stored together."""
    from django.core.cache import cache

    seconds = _shared_seconds()
    if not seconds:
        return {key: compute() for key, compute in computes.items()}
    keys = _figures_keys(computes)
    found = {} if _refreshing.get() else cache.get_many(list(keys.values()))
    computed = {keys[key]: compute() for key, compute in computes.items() if keys[key] not in found}
    if computed:
        cache.set_many(computed, seconds)
    return {key: found[keys[key]] if keys[key] in found else computed[keys[key]] for key in computes}


def figures_refreshing_now() -> bool:
    return _refreshing.get()


@contextmanager
def figures_refreshing():
    token = _refreshing.set(True)
    try:
        yield
    finally:
        _refreshing.reset(token)
