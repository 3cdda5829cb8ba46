"""Passwords their owners set themselves: a forgotten one through a one-time link e-mailed to the account's address,
one's own changed on "My account" after giving the current one. Neither signs anyone in past a second factor, both
end the other sessions and every API token, both are in the audit log."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.passwords import reset_tokens
from qms_portal.models import AuditEvent
from tests.accounts.test_tokens import _me, _token

pytestmark = pytest.mark.django_db
User = get_user_model()
OLD, NEW = "correct-horse-battery", "mat-khau-moi-rat-dai-2026"
FORGOTTEN = "/accounts/password/forgotten/"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """The once-a-quarter-hour limit lives in the cache, which outlives a test's transaction."""
    settings.PORTAL_BASE_URL = "https://qms.example.gov.vn"
    cache.clear()
    yield
    cache.clear()


def _ask(client, email: str, capture):
    with capture(execute=True):  # the e-mail leaves once the request is committed
        return client.post(FORGOTTEN, {"email": email})


def _link(message) -> str:
    found = re.search(r"(https?://[^/\s]+)(/accounts/password/\S+/)", message.body)
    assert found.group(1) == "https://qms.example.gov.vn"  # the portal's address, never the request's Host
    return found.group(2)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_forgotten_password_is_set_again_from_an_emailed_link_once(client, cast, api,
                                                                     django_capture_on_commit_callbacks):
    officer = cast.users["ag_officer"]
    token = _token(api, "ag_officer").json()["token"]
    response = _ask(client, officer.email.upper(), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    [message] = mail.outbox
    assert message.to == [officer.email] and officer.username in message.body
    link = _link(message)

    page = client.get(link)
    assert page.status_code == 200 and officer.username in page.content.decode()
    weak = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    assert User.objects.get(pk=officer.pk).check_password(OLD)  # nothing changed
    done = client.post(link, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/login/"
    assert _messages(done) == [gettext("Your password is set: sign in with your username %(username)s.")
                               % {"username": officer.username}]
    assert not done.wsgi_request.user.is_authenticated  # setting it signs no one in
    assert client.get(link).status_code == 400  # spent
    assert _me(api, token) == 401 and not AuthToken.objects.filter(user=officer).exists()
    assert client.post("/accounts/login/", {"username": officer.username, "password": OLD}).status_code == 200
    assert client.post("/accounts/login/", {"username": officer.username, "password": NEW}).status_code == 302
    actions = set(AuditEvent.objects.filter(object_id=str(officer.pk), object_type="auth.user")
                  .values_list("action", flat=True))
    assert {"reset_requested", "password_reset"} <= actions


def test_the_page_says_the_same_for_an_unknown_or_disabled_address_and_sends_nothing(
        client, cast, django_capture_on_commit_callbacks):
    head = cast.users["ag_head"]
    head.is_active = False
    head.save()
    answers = []
    for email in ("khong-ai@khong-co.invalid", head.email):
        response = _ask(client, email, django_capture_on_commit_callbacks)
        answers.append(gettext("If an account of the portal uses %(email)s, a link to set a new password was sent to "
                               "it. It works once and for %(days)d days.") % {"email": email, "days": 3}
                       in _messages(client.get(response["Location"])))
    assert answers == [True, True] and mail.outbox == []


def test_one_email_a_quarter_of_an_hour_whatever_is_asked(client, cast, django_capture_on_commit_callbacks):
    for _ in range(3):
        _ask(client, cast.users["ag_officer"].email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_bad_address_is_told_on_its_field(client, cast):
    response = client.post(FORGOTTEN, {"email": "khong-phai-email"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [gettext("Enter a valid email address.")]
    assert mail.outbox == []


def test_the_link_expires_and_a_forged_one_is_refused(client, cast, monkeypatch, django_capture_on_commit_callbacks):
    _ask(client, cast.users["ag_officer"].email, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    assert client.get(link.replace(link.split("/")[-2], "abc-123")).status_code == 400
    assert client.get("/accounts/password/zzzz/abc-123/").status_code == 400
    later = datetime.now() + timedelta(days=4)
    monkeypatch.setattr(reset_tokens, "_now", lambda: later)
    expired = client.get(link)
    assert expired.status_code == 400 and "/accounts/password/forgotten/" in expired.content.decode()


def test_a_new_password_does_not_skip_the_second_factor_and_lifts_the_lockout(client, cast, settings,
                                                                             django_capture_on_commit_callbacks):
    inspector = cast.users["ag_inspector"]
    TOTPDevice.objects.create(user=inspector, name="phone", confirmed=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": inspector.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": inspector.username, "password": OLD}).status_code == 429
    _ask(client, inspector.email, django_capture_on_commit_callbacks)
    client.post(_link(mail.outbox[0]), {"new_password1": NEW, "new_password2": NEW})
    assert client.post("/accounts/login/", {"username": inspector.username, "password": NEW}).status_code == 302
    response = client.get("/agencies/")
    assert response["Location"].startswith("/accounts/2fa/verify/")


def test_my_account_changes_the_password_after_the_current_one(client, cast, api):
    officer = cast.users["ag_officer"]
    elsewhere = Client()
    elsewhere.force_login(officer)
    token = _token(api, "ag_officer").json()["token"]
    client.force_login(officer)
    page = client.get("/account/").content.decode()
    assert officer.username in page and "Cán bộ đầu mối ISO" in page and "Sở Tư pháp" in page

    wrong = client.post("/account/", {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 400 and wrong.context["form"].errors["old_password"]
    mismatch = client.post("/account/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert mismatch.status_code == 400 and User.objects.get(pk=officer.pk).check_password(OLD)

    done = client.post("/account/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert _messages(done) == [gettext("Your password was changed. Your other sessions and API tokens have ended.")]
    assert User.objects.get(pk=officer.pk).check_password(NEW)
    assert client.get("/agencies/").status_code == 200  # this session goes on
    assert elsewhere.get("/agencies/").status_code == 302  # the other one ended
    assert _me(api, token) == 401
    assert AuditEvent.objects.filter(action="password_changed", user=officer).exists()


def test_a_session_cannot_try_current_passwords_at_leisure(client, cast, settings):
    client.force_login(cast.users["ag_officer"])
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/account/", {"old_password": f"guess-{attempt}", "new_password1": NEW,
                                              "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/agencies/").status_code == 302  # signed out
    assert User.objects.get(pk=cast.users["ag_officer"].pk).check_password(OLD)


def test_my_account_waits_for_the_second_factor_and_for_a_sign_in(client, cast):
    assert client.get("/account/")["Location"].startswith("/accounts/login/")
    TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "ag_inspector", "password": OLD})
    response = client.post("/account/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert User.objects.get(pk=cast.users["ag_inspector"].pk).check_password(OLD)
