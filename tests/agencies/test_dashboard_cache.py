"""Dashboard figures are shared by everyone of the same scope for a short while, never across scopes."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Province
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_dashboards(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _home(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


def test_a_second_reader_of_the_same_scope_reuses_the_figures(client, cast, cached_dashboards):
    _, first = _home(client, cast.users["ministry"])
    AgencyFactory(province=cast.provinces["cb"])  # not seen until the figures expire
    _, second = _home(client, cast.users["ministry"])
    assert second < first


def test_figures_are_not_shared_across_provinces(client, cast, cached_dashboards):
    for _ in range(3):
        AgencyFactory(province=cast.provinces["cb"], kind="so")
    ag_page, _ = _home(client, cast.users["ag_inspector"])
    cb_page, _ = _home(client, cast.users["cb_leader"])
    ag_rows = ag_page[ag_page.index('id="h-stage"'):]
    cb_rows = cb_page[cb_page.index('id="h-stage"'):]
    assert ag_rows != cb_rows
    assert _home(client, cast.users["ag_inspector"])[0][ag_page.index('id="h-stage"'):] == ag_rows


def test_the_warming_task_leaves_every_scope_ready(client, cast, cached_dashboards):
    from agencies.tasks import dashboards_warm

    _, cold_province = _home(client, cast.users["cb_leader"])
    cache.clear()
    _, cold = _home(client, cast.users["ministry"])
    cache.clear()
    result = dashboards_warm()
    assert result["scopes"] == 1 + Province.objects.count()  # the nation and every province (An Giang, Cao Bằng)
    _, warm = _home(client, cast.users["ministry"])
    _, warm_province = _home(client, cast.users["cb_leader"])
    assert warm < cold and warm_province < cold_province


def test_the_nation_adds_up_the_provinces_kept_figures(client, cast, cached_dashboards):
    """A national reader whose figures have expired reads the provinces' (kept for their own readers), not the
    agencies; the sum is the same as the figures computed over the whole country."""
    for kind, province in (("so", "ag"), ("so", "cb"), ("ubnd_xa", "cb")):
        AgencyFactory(province=cast.provinces[province], kind=kind)
    from agencies.tasks import dashboards_warm

    first, _ = _home(client, cast.users["ministry"])  # nothing kept yet: the nation in one pass
    dashboards_warm()  # every province's figures kept, as beat keeps them
    for key in list(cache._cache.get_client().scan_iter(match="*figures:*:national:*")):
        cache._cache.get_client().delete(key)
    with CaptureQueriesContext(connection) as queries:
        again, _ = _home(client, cast.users["ministry"])
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", first) and "Sở" in first
    assert not [q for q in queries.captured_queries if "agencies_agency" in q["sql"] and "GROUP BY" in q["sql"]]


def test_refreshing_recomputes_what_the_cache_holds(cached_dashboards):
    from qms_portal.panels import figures_cached, figures_refreshing

    assert figures_cached("probe:national", lambda: [1]) == [1]
    assert figures_cached("probe:national", lambda: [2]) == [1]
    with figures_refreshing():
        assert figures_cached("probe:national", lambda: [3]) == [3]
    assert figures_cached("probe:national", lambda: [4]) == [3]


def test_no_warming_without_shared_figures(settings, cast):
    from agencies.tasks import dashboards_warm

    settings.DASHBOARD_CACHE_SECONDS = 0
    assert dashboards_warm() == {"scopes": 0, "seconds": 0.0}
