"""Access hardening: lockout, the password policy, sessions, security headers, production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_lockout_after_repeated_failures(client, cast):
    codes = [client.post("/accounts/login/", {"username": "ag_officer", "password": "wrong"}).status_code
             for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    response = client.post("/accounts/login/", {"username": "ag_officer", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Tài khoản" in response.content.decode() or "khóa" in response.content.decode()
    # Another user from the same address is not locked out.
    other = client.post("/accounts/login/", {"username": "ag_head", "password": "correct-horse-battery"})
    assert other.status_code == 302


def test_token_endpoint_is_locked_out_too(api, cast):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "ag_inspector", "password": "wrong"})
    response = api.post("/api/v1/auth/token/", {"username": "ag_inspector", "password": "correct-horse-battery"})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_password_policy():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Sở-Tư-pháp-2026-an-toàn")


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_security_headers_and_csp(client, cast):
    client.force_login(cast.users["ag_officer"])
    response = client.get("/agencies/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_api_docs_need_no_inline_script(client, cast):
    client.force_login(cast.users["ag_officer"])
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page and "swagger-ui" in page


def test_check_deploy_has_no_warnings():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DJANGO_SETTINGS_MODULE="qms_portal.settings.production", ALLOWED_HOSTS="qms.example.gov.vn",
               SECRET_KEY="k3J9-very-long-random-looking-production-secret-key-0123456789abcdef",
               PORTAL_BASE_URL="https://qms.example.gov.vn")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
