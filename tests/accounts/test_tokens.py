"""API tokens: compulsory two-factor login holds on the token endpoint; tokens are hashed, expire, are listed and
revoked by their owner (anyone's by an administrator), and die with a password, active-state or role change."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from agencies.models import Role
from agencies.services import membership_set
from tests.accounts.test_two_factor import current_code

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


def _token(api, username, **extra):
    return api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}, format="json")


def _me(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api.get("/api/v1/me/").status_code
    api.credentials()
    return status


def test_a_role_that_must_use_two_factor_gets_no_token_without_a_device(api, cast, settings):
    settings.OTP_REQUIRED_ROLES = ["inspector"]
    response = _token(api, "ag_inspector")
    assert response.status_code == 403
    assert "/accounts/2fa/setup/" in response.json()["detail"]
    assert "hai lớp" in response.json()["detail"]  # Vietnamese by default
    assert not AuthToken.objects.filter(user=cast.users["ag_inspector"]).exists()
    assert _token(api, "ag_officer").status_code == 200  # a role that need not use it


def test_with_a_device_the_token_needs_the_code(api, cast, settings):
    settings.OTP_REQUIRED_ROLES = ["inspector"]
    device = TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    response = _token(api, "ag_inspector")
    assert response.status_code == 400 and list(response.json()) == ["otp"]
    response = _token(api, "ag_inspector", otp=current_code(device))
    assert response.status_code == 200
    assert _me(api, response.json()["token"]) == 200


def test_tokens_are_stored_hashed_and_expire_after_the_lifetime(api, cast):
    response = _token(api, "ag_officer")
    token = response.json()["token"]
    row = AuthToken.objects.get(user=cast.users["ag_officer"])
    assert token not in (row.digest, row.token_key) and token.startswith(row.token_key) and len(row.digest) == 128
    lifetime = row.expiry - row.created
    assert timedelta(hours=8) - timedelta(seconds=5) < lifetime <= timedelta(hours=8)
    assert _me(api, token) == 200
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _me(api, token) == 401


def test_a_password_change_revokes_every_token(api, cast):
    first, second = _token(api, "ag_officer").json()["token"], _token(api, "ag_officer").json()["token"]
    user = cast.users["ag_officer"]
    user.set_password("another-long-password")
    user.save()
    assert _me(api, first) == 401 and _me(api, second) == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_deactivation_and_a_role_change_revoke_tokens(api, cast):
    token = _token(api, "ag_officer").json()["token"]
    membership_set(actor=cast.users["admin"], user=cast.users["ag_officer"], role=Role.AGENCY_HEAD,
                   agency=cast.agencies["ag_stp"])
    assert _me(api, token) == 401
    token = _token(api, "ag_head").json()["token"]
    cast.users["ag_head"].is_active = False
    cast.users["ag_head"].save()
    assert not AuthToken.objects.filter(user=cast.users["ag_head"]).exists()
    assert _me(api, token) == 401


def test_an_unchanged_save_keeps_the_tokens(api, cast):
    token = _token(api, "ag_officer").json()["token"]
    cast.users["ag_officer"].first_name = "Lan"
    cast.users["ag_officer"].save()
    membership = cast.users["ag_officer"].membership
    membership.save()
    assert _me(api, token) == 200


def test_users_list_and_revoke_their_own_tokens_only(api, cast):
    mine = _token(api, "ag_officer").json()["token"]
    theirs = _token(api, "ag_head").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine}")
    rows = api.get("/api/v1/auth/tokens/").json()
    assert [(r["user"], r["current"]) for r in rows] == [("ag_officer", True)]
    assert api.get("/api/v1/auth/tokens/?user=ag_head").json() == rows  # not an administrator: own tokens only
    assert api.delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert api.delete(f"/api/v1/auth/tokens/{mine[:15]}/").status_code == 204
    api.credentials()
    assert _me(api, mine) == 401 and _me(api, theirs) == 200


def test_an_administrator_revokes_anyones_token(api, cast):
    theirs = _token(api, "ag_head").json()["token"]
    admin = api.as_user(cast.users["admin"])
    rows = admin.get("/api/v1/auth/tokens/?user=ag_head").json()
    assert [r["user"] for r in rows] == ["ag_head"]
    assert admin.delete(f"/api/v1/auth/tokens/{rows[0]['token_key']}/").status_code == 204
    api.force_authenticate(user=None)
    assert _me(api, theirs) == 401


def _next_code(device: TOTPDevice) -> str:
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + device.step
    return str(totp.token()).zfill(device.digits)


def test_enrolling_an_authenticator_revokes_the_tokens_the_password_alone_gave(client, api, cast):
    """A password-only session stops at the code page the moment an authenticator is enrolled; the tokens issued
    with the password alone must stop too (someone who had the password kept API access for hours). Tokens asked
    for with the code afterwards work, and the code checks that save the device do not revoke them."""
    from tests.accounts.test_two_factor import login

    before = _token(api, "ag_officer").json()["token"]
    login(client, "ag_officer")
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=cast.users["ag_officer"], confirmed=False)
    assert _me(api, before) == 200  # an unconfirmed device changes nothing yet
    assert client.post("/accounts/2fa/setup/", {"code": current_code(device), "next": "/"}).status_code == 302
    assert _me(api, before) == 401
    assert not AuthToken.objects.filter(user=cast.users["ag_officer"]).exists()
    device.refresh_from_db()
    after = _token(api, "ag_officer", otp=_next_code(device)).json()["token"]  # the used code is not taken twice
    device.save()  # a later save of the confirmed device (django-otp saves it on each code checked)
    assert _me(api, after) == 200
    # a device made confirmed elsewhere (the admin) revokes them as well
    other = _token(api, "ag_head").json()["token"]
    TOTPDevice.objects.create(user=cast.users["ag_head"], name="phone", confirmed=True)
    assert _me(api, other) == 401
