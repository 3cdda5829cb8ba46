"""Every inspections API endpoint names its permission-matrix tests (tests/audits/permission_registry.py),
and each named test exists: the project-wide check, limited to this app's router."""

import importlib

from audits.urls_api import urlpatterns
from tests.audits.permission_registry import COVERED


def test_every_inspections_endpoint_is_registered():
    names = {pattern.name for pattern in urlpatterns if pattern.name}
    assert names == set(COVERED), sorted(names ^ set(COVERED))


def test_registry_points_at_real_tests():
    for references in COVERED.values():
        for reference in references:
            path, function = reference.split("::")
            module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
            assert callable(getattr(module, function, None)), reference
