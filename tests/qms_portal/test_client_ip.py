"""The client's address comes from X-Forwarded-For only as far as the deployment trusts its own proxies
(TRUSTED_PROXY_COUNT): a spoofed header neither escapes the token endpoint's rate limit, nor locks another
address out, nor lands in the audit log."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.test import RequestFactory
from rest_framework.throttling import BaseThrottle

from qms_portal.client_ip import client_ip
from qms_portal.models import AuditEvent

pytestmark = pytest.mark.django_db

ATTACKER, VICTIM, PROXY = "203.0.113.9", "198.51.100.7", "10.0.0.2"


@pytest.fixture
def trust(settings):
    """`trust(n)`: the deployment says n proxies of its own stand in front (the portal's and DRF's setting)."""

    def set_count(count: int) -> None:
        settings.TRUSTED_PROXY_COUNT = count
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return set_count


def sent_by(address: str, *, count: int, spoofed: str | None = None) -> dict:
    """The META of a request from `address` that claims to come from `spoofed`, as it reaches the portal through
    `count` proxies (each appends the address it received the request from)."""
    hops = [spoofed] if spoofed else []
    if count == 0:
        meta = {"REMOTE_ADDR": address}
    else:
        hops.append(address)
        hops.extend(f"10.0.0.{n}" for n in range(3, count + 2))  # the proxies in between
        meta = {"REMOTE_ADDR": PROXY}
    if hops:
        meta["HTTP_X_FORWARDED_FOR"] = ", ".join(hops)
    return meta


@pytest.mark.parametrize(("count", "meta", "expected"), [
    (0, {"REMOTE_ADDR": ATTACKER, "HTTP_X_FORWARDED_FOR": VICTIM}, ATTACKER),
    (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{VICTIM}, {ATTACKER}"}, ATTACKER),
    (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ATTACKER}, ATTACKER),
    (1, {"REMOTE_ADDR": PROXY}, PROXY),
    (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{VICTIM}, {ATTACKER}, 10.0.0.3"}, ATTACKER),
    (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "<script>, not-an-address"}, PROXY),
    (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": " 2001:db8::1 "}, "2001:db8::1"),
    (0, {"REMOTE_ADDR": "garbage"}, None),
])
def test_client_ip(trust, count, meta, expected):
    trust(count)
    assert client_ip(RequestFactory().get("/", **meta)) == expected


@pytest.mark.parametrize("count", [0, 1, 2])
def test_drf_throttles_identify_clients_by_the_same_rule(trust, count):
    trust(count)
    for address, meta in ((ATTACKER, sent_by(ATTACKER, count=count, spoofed=VICTIM)),
                          (VICTIM, sent_by(VICTIM, count=count))):
        request = RequestFactory().get("/", **meta)
        assert BaseThrottle().get_ident(request) == client_ip(request) == address


def _token_attempt(api, meta: dict) -> int:
    body = {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong-password"}
    return api.post("/api/v1/auth/token/", body, format="json", **meta).status_code


@pytest.mark.parametrize("count", [0, 1])
def test_a_spoofed_header_does_not_escape_the_token_rate_limit(api, cast, settings, trust, count):
    trust(count)
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    codes = [_token_attempt(api, sent_by(ATTACKER, count=count, spoofed=f"192.0.2.{n}")) for n in range(limit + 1)]
    assert codes == [400] * limit + [429]
    # Another client (behind the same proxy, when there is one) is still served.
    assert _token_attempt(api, sent_by(VICTIM, count=count)) == 400


def _login(client, username: str, password: str, meta: dict) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta).status_code


@pytest.mark.parametrize("count", [0, 1])
def test_a_spoofed_header_does_not_lock_out_another_address(client, cast, settings, trust, count):
    from tests.conftest import PASSWORD

    trust(count)
    attacker = sent_by(ATTACKER, count=count, spoofed=VICTIM)
    codes = [_login(client, "ag_officer", "wrong", attacker) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429 and _login(client, "ag_officer", PASSWORD, attacker) == 429
    # The officer signs in from the address the attacker claimed.
    assert _login(client, "ag_officer", PASSWORD, sent_by(VICTIM, count=count)) == 302
    failed = AuditEvent.objects.filter(action="login_failed")
    assert set(failed.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_audit_log_stores_no_address_from_a_header_nobody_vouches_for(client, cast, trust):
    trust(1)
    _login(client, "ag_officer", "wrong", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "'; DROP TABLE x; --"})
    assert AuditEvent.objects.get(action="login_failed").ip_address == PROXY


def test_one_setting_from_the_environment_drives_axes_drf_and_the_audit_log():
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
                            env={**os.environ, "TRUSTED_PROXY_COUNT": "2"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [2, 2, "qms_portal.client_ip.client_ip"]
