import time
import uuid

import pytest
from django.core.cache import cache

from qms_portal.health import HEARTBEAT_KEY
from qms_portal.tasks import echo_to_cache


@pytest.mark.django_db
def test_healthz_up_in_eager_mode(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_healthz_503_without_worker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(HEARTBEAT_KEY)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"


@pytest.mark.django_db
def test_healthz_stale_heartbeat_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.set(HEARTBEAT_KEY, time.time() - 3600)
    assert client.get("/healthz").json()["worker"] == "down"


@pytest.mark.django_db
def test_healthz_broker_down(client, settings, monkeypatch):
    from qms_portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "down"


@pytest.mark.services
def test_real_worker_round_trip_and_health(celery_worker_process, client):
    """A task goes through Redis to a separate worker process, and /healthz sees the worker."""
    key, value = f"test:{uuid.uuid4()}", "xin chào"
    echo_to_cache.delay(key, value)
    deadline = time.monotonic() + 30
    while cache.get(key) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(key) == value
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["worker"] == "ok"
