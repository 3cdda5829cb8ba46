"""Retake the README's screenshots from the demo data.

With `make run` serving the demo (and its worker) at http://127.0.0.1:8000 (PORTAL_URL to change it), run:

    .venv/bin/python docs/screenshots/take.py [name ...]

It signs in as the demo accounts, opens the pages a reader of the README should see and writes the PNG files next
to this script; names limit it to some of them. The last one requests the consolidated report of An Giang and waits
for the worker to finish it. Uses Debian's Chromium through Playwright, as the browser tests do.
"""

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
OUT = Path(__file__).resolve().parent
PASSWORD = "qms-demo-2026"  # the demo accounts' password (README)
CHARTS_DRAWN = ("() => !window.Chart || [...document.querySelectorAll('canvas[data-chart]')]"
                ".every(c => window.Chart.getChart(c))")


def signed_in(browser, username, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=BASE, locale="vi-VN")
    page = context.new_page()
    page.goto("/accounts/login/")
    if username:
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("#main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def a_maintained_qms_file(page) -> None:
    page.goto("/compliance/?stage=maintaining")
    page.locator("#main .compliance-table tbody a").first.click()
    page.wait_for_url("**/qms/")


def login(browser):
    context, page = signed_in(browser, None, 1366, 700)
    page.screenshot(path=OUT / "login.png")
    context.close()


def officer_qms_file(browser):
    context, page = signed_in(browser, "ag_inspector", 1366, 900)
    a_maintained_qms_file(page)
    page.screenshot(path=OUT / "officer-qms-file.png")
    context.close()


def inspector_checklist_phone(browser):
    context, page = signed_in(browser, "ag_inspector", 360, 780)
    page.goto("/inspections/calendar/")
    page.locator("#main .cal-list li", has_text="Trực tiếp tại cơ quan").first.locator("a").first.click()
    page.wait_for_selector("#checklist form")
    for code in ("scope-covers-procedures", "documents-rolled-out", "requirements-complied", "processes-carried-out"):
        page.locator(f"input[name='check-result_{code}'][value=met]").check()
    page.locator("input[name='check-result_review-audit-corrective-action'][value=partly]").check()
    notes = page.locator("#id_check-notes_review-audit-corrective-action")
    notes.fill("Chưa tổ chức xem xét của lãnh đạo trong năm.")
    notes.evaluate("e => e.closest('fieldset').scrollIntoView({block: 'center'})")
    page.screenshot(path=OUT / "inspector-checklist-phone.png")
    context.close()


def phone_qms_file(browser):
    context, page = signed_in(browser, "ag_inspector", 360, 780)
    a_maintained_qms_file(page)
    page.locator("#announcements").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=OUT / "phone-qms-file.png")
    context.close()


def leadership_dashboard(browser):
    context, page = signed_in(browser, "ag_leader", 1366, 900)
    page.wait_for_function(CHARTS_DRAWN)
    page.screenshot(path=OUT / "leadership-dashboard.png", full_page=True)
    context.close()


def phone_dashboard(browser):
    context, page = signed_in(browser, "ag_leader", 360, 780)
    page.wait_for_function(CHARTS_DRAWN)
    page.locator("#h-stage").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=OUT / "phone-dashboard.png")
    context.close()


def report(browser):
    context, page = signed_in(browser, "ag_leader", 1366, 900)
    page.goto("/reports/consolidated/new/")
    page.fill("#id_signer_name", "Phạm Quốc Bảo")
    page.select_option("#id_signing_capacity", "kt")  # Decree 30 forms of the issuing body (issue 14)
    page.locator("#main form[method=post] button[data-confirm]").click()
    with page.expect_navigation():
        page.locator("dialog[open] button[data-confirmed]").click()
    page.wait_for_function("() => document.querySelector('#report-status progress').value > 20", timeout=60000)
    page.screenshot(path=OUT / "report-progress.png")
    page.wait_for_selector("#report-status[data-status=done] [data-role=downloads]:not([hidden])", timeout=300000)
    page.screenshot(path=OUT / "report-done.png")
    context.close()


SHOTS = [login, officer_qms_file, inspector_checklist_phone, phone_qms_file, leadership_dashboard, phone_dashboard,
         report]

if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for shot in SHOTS:
            if not wanted or shot.__name__.replace("_", "-") in wanted:
                shot(browser)
        browser.close()
