"""The national-scale data set, one module per app, generated in this order.

Contract of a module (see agencies.py):

    generate(*, rng: random.Random, scale: float, progress, state: dict) -> dict[str, int]   # rows written
    reset(*, progress, state: dict) -> dict[str, int]                                        # rows deleted

The label (the app's label) seeds the module's random generator, so adding a module does not change another's rows.
"""

from importlib import import_module

MODULES = (("agencies", "devdata.scale.agencies"), ("audits", "devdata.scale.audits"),
           ("reports", "devdata.scale.reports"))


def scale_modules() -> list[tuple[str, object]]:
    return [(label, import_module(name)) for label, name in MODULES]
