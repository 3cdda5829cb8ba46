"""No serious accessibility violations (axe-core) on any page of any role, on a desktop and a 360-px phone; the
keyboard reaches the login form and the skip link."""

import pytest

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("width", [360, 1366])
def test_no_serious_violation_on_any_page_of_any_role(site_visits, width):
    """axe-core on every page of every role (tests/e2e/site_pages.py), at both widths; a page seen by several roles
    with the same shape is checked once per width."""
    visits = site_visits[width]
    assert visits.checked_by_axe > 60
    assert visits.axe == [], "\n".join(map(repr, visits.axe))


@pytest.mark.django_db(transaction=True)
def test_keyboard_use(page_factory, cast):
    page = page_factory()
    page.goto("/accounts/login/")
    assert page.evaluate("document.activeElement.id") == "id_username"  # autofocus
    page.keyboard.type("ag_officer")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/agencies/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_url("**/agencies/#main")  # a same-document navigation: the URL changes a moment later
