"""When Redis or PostgreSQL fail, pages and forms keep working or recover by themselves."""

import pytest
from django.core.cache import caches
from django.db import connection

from tests.faults import PrivateRedis


@pytest.fixture
def private_redis(settings):
    redis = PrivateRedis().start()
    settings.CACHES = {"default": {"BACKEND": "qms_portal.cache.ResilientRedisCache", "LOCATION": redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    yield redis
    redis.stop()


@pytest.mark.django_db
def test_pages_forms_and_api_work_while_redis_is_down(client, api, cast, private_redis):
    client.force_login(cast.users["ag_officer"])
    stp = cast.agencies["ag_stp"]
    assert client.get("/").status_code == 200
    caches["default"].set("probe", 1)
    assert caches["default"].get("probe") == 1
    private_redis.stop()
    assert caches["default"].get("probe") is None
    assert client.get("/").status_code == 200
    assert client.get(f"/agencies/{stp.pk}/qms/").status_code == 200
    response = client.post(f"/agencies/{stp.pk}/qms/trainings/add/",
                           {"held_on": "2025-01-01", "topic": "ISO 9001:2015", "attendees": 12})
    assert response.status_code == 302
    token = api.post("/api/v1/auth/token/", {"username": "ag_head", "password": "correct-horse-battery"})
    assert token.status_code == 200
    private_redis.start()
    caches["default"].set("probe", 2)
    assert caches["default"].get("probe") == 2


@pytest.mark.django_db(transaction=True)
def test_portal_recovers_when_postgresql_drops_connections(client, cast):
    """Every server connection is terminated (as in a PostgreSQL restart); the next request reconnects."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    client.force_login(cast.users["ag_inspector"])
    assert client.get("/agencies/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    from django.db import connections

    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    connection.close_if_unusable_or_obsolete()
    assert client.get("/agencies/").status_code == 200
