"""No serious accessibility violations (axe-core) on the main pages, on a desktop and a 360-px phone."""

import pytest

from qms.models import QmsRecord
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_violations(browser, live_server, cast, width):
    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="building")
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server.url,
                                  bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    page.goto("/accounts/login/")
    assert serious_violations(page) == []
    login(page, "ag_inspector")
    stp = cast.agencies["ag_stp"].pk
    for path in ("/", "/agencies/", f"/agencies/{stp}/", f"/agencies/{stp}/qms/", "/compliance/",
                 f"/agencies/{stp}/qms/trainings/add/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        found = serious_violations(page)
        assert found == [], (path, found)
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, f"{path} scrolls sideways"
            shot(page, f"phone-{path.strip('/').replace('/', '-') or 'home'}")
    context.close()


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
    assert page.url.endswith("#main")
