"""Passwords are stored with Argon2id (OWASP parameters); hashes from before are upgraded at sign-in."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from qms_portal.settings import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_use_argon2id_with_owasp_parameters(real_hashers):
    encoded = make_password("correct-horse-battery")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("correct-horse-battery", encoded)
    assert not check_password("Correct-horse-battery", encoded)


def test_a_pbkdf2_hash_is_upgraded_at_sign_in(real_hashers, client, cast):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = cast.users["ag_head"]
    user.password = PBKDF2PasswordHasher().encode("correct-horse-battery", PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"username": "ag_head", "password": "correct-horse-battery"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
