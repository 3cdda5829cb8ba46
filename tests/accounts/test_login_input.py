"""Sign-in with input no username can have: a name longer than any account's is refused as a field error, on the
page, the admin's and the token API, before the sign-in is attempted (and counted by the lockout, whose table keeps
at most 255 characters of it: the attempt was a 500)."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


def test_the_login_page_refuses_a_username_too_long(client, cast):
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "qms-demo-2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Giá trị này chỉ có tối đa 150 kí tự (hiện có 5000)" in page
    assert not AccessAttempt.objects.exists()
    # an ordinary wrong password is still said as before, and counted
    response = client.post("/accounts/login/", {"username": "ag_officer", "password": "sai-mat-khau-roi"})
    assert response.status_code == 200 and "phân biệt chữ hoa và chữ thường" in response.content.decode()
    assert AccessAttempt.objects.count() == 1


def test_the_admin_login_refuses_a_username_too_long(client, cast):
    response = client.post("/admin/login/", {"username": "x" * 5000, "password": "qms-demo-2026"})
    assert response.status_code == 200
    assert "Giá trị này chỉ có tối đa 150 kí tự (hiện có 5000)" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_token_api_refuses_a_username_too_long(api, cast):
    response = api.post("/api/v1/auth/token/", {"username": "x" * 5000, "password": "qms-demo-2026"}, format="json")
    assert response.status_code == 400 and "username" in response.json()
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("page", ["/accounts/login/", "/admin/login/"])
def test_password_spraying_from_one_address_is_stopped_on_the_sign_in_pages(client, cast, page):
    """The lockout counts failures per account and address, so one password tried on many accounts was never
    stopped on the sign-in pages (the token API allows 10 attempts a minute from an address). Failed sign-ins from
    one address are limited as there; another address, and a person who signs in at the first try, go on."""
    for n in range(10):
        response = client.post(page, {"username": f"khong-ton-tai-{n}", "password": "mat-khau-doan-thu"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(page, {"username": "admin", "password": "correct-horse-battery"})
    assert "_auth_user_id" not in client.session  # even the right password, while the address is held back
    assert "Có quá nhiều lần đăng nhập không thành công từ địa chỉ của bạn" in response.content.decode()
    other = client.post(page, {"username": "admin", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and "_auth_user_id" in client.session


def test_successful_sign_ins_from_one_address_are_not_limited(client, cast):
    """An office behind one address signs its people in at the start of the day: only failures count."""
    for _n in range(15):
        response = client.post("/accounts/login/", {"username": "ag_officer", "password": "correct-horse-battery"})
        assert response.status_code == 302
        client.logout()
