"""Passwords in Chromium: an officer who forgot hers asks for a link from the sign-in page, sets a new password
from the e-mail, signs in, then changes it again on "Tài khoản của tôi" (her name at the top of every page)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_forgotten_password_then_a_changed_one(page_factory, cast):
    cache.clear()  # the once-a-quarter-hour limit of the reset e-mails
    officer = cast.users["ag_officer"]
    page = page_factory(width=375, height=800)
    page.goto("/accounts/login/")
    page.click("text=Quên mật khẩu?")
    page.fill("#id_email", officer.email)
    page.click("#main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    assert "một liên kết để đặt mật khẩu mới đã được gửi" in page.locator(".messages").inner_text()

    link = re.search(r"https?://[^/\s]+(/accounts/password/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.fill("#id_new_password1", "123")
    page.fill("#id_new_password2", "123")
    page.click("#main button[type=submit]")
    assert "ít nhất 10 ký tự" in page.locator("#main").inner_text()  # refused on its field, in Vietnamese
    page.fill("#id_new_password1", "mat-khau-moi-2026!")
    page.fill("#id_new_password2", "mat-khau-moi-2026!")
    page.click("#main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    login(page, officer.username, "mat-khau-moi-2026!")

    page.click(".topbar .user-name")
    page.wait_for_url(re.compile(r"/account/$"))
    assert "Cán bộ đầu mối ISO" in page.locator("#main").inner_text()
    page.fill("#id_old_password", "mat-khau-moi-2026!")
    page.fill("#id_new_password1", "mat-khau-thu-ba-2026!")
    page.fill("#id_new_password2", "mat-khau-thu-ba-2026!")
    page.click("#main form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/$"))
    assert "Mật khẩu đã được đổi" in page.locator(".messages").inner_text()
    shot(page, "password-changed-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # no sideways scrolling on a phone
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-thu-ba-2026!")
