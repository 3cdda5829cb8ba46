"""The demo data, one module per app, seeded in this order (each `seed_demo()` returns the accounts it made)."""

from importlib import import_module

MODULES = ("devdata.demo.agencies", "devdata.demo.audits", "devdata.demo.reports")


def demo_modules() -> list:
    return [import_module(name) for name in MODULES]
