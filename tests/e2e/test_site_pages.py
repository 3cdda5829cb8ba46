"""Every page of every role fits a 360-px phone and a 1366-px desktop (issue 21): the page never scrolls sideways,
and no date (dd/mm/yyyy), edition (9001:2015) or number breaks over two lines.

The pages come from the URL conf and the demo data (`tests/e2e/site_pages.py`); axe-core checks the same visits in
`test_accessibility.py`.
"""

import pytest

from tests.e2e.site_pages import NOT_PAGES, SAMPLES, page_routes


def test_every_route_is_a_page_or_says_why_not():
    routes = set(page_routes())
    assert not set(NOT_PAGES) & set(SAMPLES), "a route cannot be both"
    assert routes - set(NOT_PAGES) - set(SAMPLES) == set(), "a new route: sample it as a page or say why it is not one"
    assert set(NOT_PAGES) | set(SAMPLES) <= routes, "a route that no longer exists"


@pytest.mark.e2e
@pytest.mark.parametrize("width", [360, 1366])
def test_every_page_of_every_role_fits_the_screen(site_visits, width):
    visits = site_visits[width]
    assert visits.pages > 250  # eight visitors (seven roles and a visitor), ~40 pages each
    assert visits.layout == [], "\n".join(map(repr, visits.layout))
