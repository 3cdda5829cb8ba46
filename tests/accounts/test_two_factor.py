import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def login(client, username="ag_inspector"):
    return client.post("/accounts/login/", {"username": username, "password": "correct-horse-battery"})


def test_user_with_device_must_give_the_code(client, cast):
    device = TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    login(client)
    response = client.get("/agencies/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/api/v1/agencies/").status_code == 403
    page = client.post("/accounts/2fa/verify/", {"code": "000000", "next": "/agencies/"})
    assert "sai" in page.content.decode() or "hết hạn" in page.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing after each failure
    device.throttle_reset()
    response = client.post("/accounts/2fa/verify/", {"code": current_code(device), "next": "/agencies/"})
    assert response.status_code == 302 and response["Location"] == "/agencies/"
    assert client.get("/agencies/").status_code == 200


def test_required_role_is_sent_to_setup(client, cast, settings):
    settings.OTP_REQUIRED_ROLES = ["inspector", "administrator"]
    login(client)
    response = client.get("/")
    assert response["Location"].startswith("/accounts/2fa/setup/")
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.users["ag_inspector"])
    assert not device.confirmed
    response = client.post("/accounts/2fa/setup/", {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and client.get("/").status_code == 200


def test_roles_not_required_log_in_as_before(client, cast, settings):
    settings.OTP_REQUIRED_ROLES = ["inspector"]
    login(client, "ag_officer")
    assert client.get("/").status_code == 200


def test_open_redirect_is_refused(client, cast):
    device = TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    login(client)
    response = client.post("/accounts/2fa/verify/", {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_token_api_needs_the_code(api, cast):
    device = TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    response = api.post("/api/v1/auth/token/", {"username": "ag_inspector", "password": "correct-horse-battery"})
    assert response.status_code == 400 and "otp" in response.json()
    response = api.post("/api/v1/auth/token/", {"username": "ag_inspector", "password": "correct-horse-battery",
                                                "otp": current_code(device)})
    assert response.status_code == 200 and response.json()["token"]


def test_the_password_alone_cannot_replace_the_authenticator(client, api, cast):
    """The setup page is open to a session that owes the code (a required role enrols there); someone with the
    password alone could enrol an app of his own there, get a verified session and delete the owner's device."""
    owner = TOTPDevice.objects.create(user=cast.users["ag_inspector"], name="phone", confirmed=True)
    login(client)
    for response in (client.get("/accounts/2fa/setup/"), client.post("/accounts/2fa/setup/", {"code": "123456"})):
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/verify/?next=%2Faccounts%2F2fa%2Fsetup%2F"
    assert list(TOTPDevice.objects.filter(user=cast.users["ag_inspector"])) == [owner]  # no second device made
    assert client.get("/agencies/").status_code == 302 and client.get("/api/v1/agencies/").status_code == 403
    # With the code given, the owner may move to a new phone: the new app replaces the old one.
    client.post("/accounts/2fa/verify/", {"code": current_code(owner), "next": "/"})
    assert "<svg" in client.get("/accounts/2fa/setup/").content.decode()
    new = TOTPDevice.objects.get(user=cast.users["ag_inspector"], confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"code": current_code(new), "next": "/"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=cast.users["ag_inspector"])) == [new]
    new.refresh_from_db()
    assert new.confirmed
