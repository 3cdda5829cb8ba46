"""What a web or worker process loaded at start is frozen out of garbage collection (qms_portal.gc_freeze), in
every process that serves: gunicorn's (qms_portal.wsgi, which the benchmark's web process runs too) and each
Celery pool process."""

import gc
import os
import subprocess
import sys
import weakref

import pytest

from qms_portal.gc_freeze import freeze_loaded_objects


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


class _Node:
    def __init__(self):
        self.me = self


def test_it_freezes_what_is_loaded_and_still_collects_what_comes_after(unfrozen):
    assert gc.get_freeze_count() == 0
    frozen = freeze_loaded_objects()
    # A frozen object whose last reference goes (a frame's local, a cache entry replaced) leaves the permanent
    # generation at once: the count read afterwards may be a few lower, never higher.
    assert frozen > 10_000 and frozen - 1_000 < gc.get_freeze_count() <= frozen
    node = _Node()  # a reference cycle made after the freeze: only the collector can free it
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


def _in_a_fresh_process(script: str) -> list[str]:
    """The words `script` prints, run by a new interpreter (a WSGI module sets the settings and freezes the
    process that imports it: not this one)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qms_portal.settings.test"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    return done.stdout.split()


def test_the_production_wsgi_module_loads_the_views_and_freezes_them():
    """`gunicorn qms_portal.wsgi:application` (the Dockerfile's command) imports the module in each worker: what
    the first request would import is loaded, then frozen with the rest."""
    views_loaded, frozen = _in_a_fresh_process(
        "import gc, sys, qms_portal.wsgi; print('qms.views' in sys.modules, gc.get_freeze_count())")
    assert views_loaded == "True" and int(frozen) > 10_000


def test_the_benchmark_serves_the_production_wsgi_module():
    same, settings = _in_a_fresh_process(
        "import os, bench.wsgi, qms_portal.wsgi; "
        "print(bench.wsgi.application is qms_portal.wsgi.application, os.environ['DJANGO_SETTINGS_MODULE'])")
    assert (same, settings) == ("True", "bench.settings")


def test_each_celery_pool_process_freezes_when_it_starts(unfrozen):
    from celery.signals import worker_process_init

    from qms_portal.celery import _freeze_loaded_objects

    assert _freeze_loaded_objects in [receiver for _key, receiver in worker_process_init.receivers]
    _freeze_loaded_objects()
    assert gc.get_freeze_count() > 10_000
