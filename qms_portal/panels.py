"""Dashboard panels contributed by the apps, found at run time like Django's admin autodiscovery.

Each installed app may have a `dashboard` module with `panels(request) -> list[dict]`; a panel is
{"template": ..., "context": {...}, "order": int}. The home page shows them in order, so a lower app
(agencies) shows what higher apps (audits, reports) know without importing them.
"""

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
    """The JSON a `<canvas data-chart>` reads (static/js/dashboard.js draws it with Chart.js)."""
    return {"labels": [str(label) for label in labels], "datasets": datasets, "stacked": stacked,
            "percent": percent, "horizontal": horizontal}
