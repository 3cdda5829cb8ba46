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
