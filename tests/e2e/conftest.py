"""Browser journeys: Debian's Chromium driven by Playwright's Python client, against a live test server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import require_services

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if not executable:
        require_services("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop lives in the test thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server, request):
    """New pages (desktop or phone-sized) whose screenshots are kept; a failing test also keeps one."""
    pages = []

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        pages.append(page)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(pages):
        if failed:
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{index}.png"), full_page=True)
        page.context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str = "correct-horse-battery") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(scope="session")
def site_visits(browser, live_server, django_db_setup, django_db_blocker):
    """Every page of every role opened once at 360 and at 1366 px (tests/e2e/site_pages.py), for the layout test
    and the accessibility test to share: loading the demo takes a while and each visit of ~300 pages minutes.

    The demo world is loaded, visited and removed here, before any test reads the results, so nothing of it is
    left for the tests that run after (as a transactional test's flush would leave them)."""
    from django.core.management import call_command

    from tests.e2e.site_pages import site_world, visit_every_page

    with django_db_blocker.unblock():
        try:
            site_world()
            return {width: visit_every_page(browser, live_server.url, width=width) for width in (360, 1366)}
        finally:
            call_command("flush", interactive=False, verbosity=0)
