"""Every API endpoint has a permission-matrix entry (tests/permission_registry.py), and each entry names a
test that exists."""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permission_registry import COVERED

IGNORED = {"api-root"}


def _api_names(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_names(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and pattern.name:
            yield pattern.name


def test_every_api_endpoint_has_a_matrix_entry():
    names = set(_api_names(get_resolver().url_patterns)) - IGNORED
    missing = sorted(names - set(COVERED))
    assert not missing, f"add these endpoints to a permission matrix and to tests/permission_registry.py: {missing}"


@pytest.mark.parametrize("name", sorted(COVERED))
def test_registry_points_at_real_tests(name):
    for reference in COVERED[name]:
        path, function = reference.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, function, None)), reference


@pytest.mark.django_db
def test_provinces_are_public_reference_data(api, cast):
    province = cast.provinces["cb"]
    for user in ("ag_officer", "ag_inspector", "ministry"):
        assert api.as_user(cast.users[user]).get(f"/api/v1/provinces/{province.pk}/").status_code == 200
    assert api.__class__().get(f"/api/v1/provinces/{province.pk}/").status_code in (401, 403)
