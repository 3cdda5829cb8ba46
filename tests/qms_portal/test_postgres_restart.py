"""A real PostgreSQL restart under a running portal: the web process (gunicorn) and the Celery worker reconnect by
themselves, at the first request and the first task after the restart, without being restarted.

Everything runs against a private cluster (initdb + pg_ctl in a temporary directory) and a private redis-server,
never the shared services. Skipped without the PostgreSQL server binaries or redis-server (failed where CI
promises them, REQUIRE_SERVICES=1)."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import psycopg2
import pytest
from celery import Celery
from django.core.cache.backends.redis import RedisCache

from tests.faults import PROJECT_DIR, PrivatePostgres, PrivateRedis, WorkerProcess, free_port

PASSWORD = "correct-horse-battery"
SEED = f"""
from django.contrib.auth import get_user_model
from agencies.models import Province, ProvinceSettings
province = Province.objects.create(code=91, name="An Giang", division_type="tỉnh", codename="an_giang")
ProvinceSettings.objects.create(province=province)
get_user_model().objects.create_superuser("restart-admin", "restart-admin@example.invalid", "{PASSWORD}")
"""


def _http(method: str, url: str, body: dict | None = None, timeout: float = 15) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json",
                                                                               "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload or b"{}")
        except ValueError:
            return error.code, {"body": payload[:500].decode(errors="replace")}


def _sql(url: str, query: str, params=()) -> list[tuple]:
    """A short-lived connection of the test itself (never reused across the restart)."""
    with psycopg2.connect(url, connect_timeout=10) as conn, conn.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    conn.close()
    return rows


def _backends(url: str, application: str) -> list[int]:
    return [pid for (pid,) in _sql(url, "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                                   [application])]


def _periods(url: str, year: int) -> int:
    return _sql(url, "SELECT count(*) FROM reports_reportingperiod WHERE year = %s", [year])[0][0]


def _round_trip(sender: Celery, cache: RedisCache, year: int, seconds: float = 60) -> float:
    """A task that writes to the database, then one that answers in the cache: the solo worker runs them in
    order, so once the answer is there the first one has run. Returns the seconds it took."""
    started = time.monotonic()
    key = f"test:{uuid.uuid4()}"
    sender.send_task("reports.ensure_periods", args=[year])
    sender.send_task("qms_portal.echo_to_cache", args=[key, "done"])
    while cache.get(key) is None:
        assert time.monotonic() - started < seconds, "the worker did not answer"
        time.sleep(0.1)
    return time.monotonic() - started


def _run(args: list[str], env: dict, timeout: float) -> None:
    result = subprocess.run([sys.executable, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"


@pytest.mark.services
def test_portal_and_worker_recover_by_themselves_after_a_real_postgresql_restart(tmp_path):
    postgres, redis = PrivatePostgres(), PrivateRedis()
    web, web_log, worker, sender = None, None, None, None
    try:
        postgres.start()
        redis.start()
        env = {**os.environ, "DATABASE_URL": postgres.url, "REDIS_URL": redis.url, "CONN_MAX_AGE": "60",
               "DJANGO_SETTINGS_MODULE": "qms_portal.settings.local", "DEBUG": "0",
               "MEDIA_ROOT": str(tmp_path / "media"), "EMAIL_URL": f"filemail://{tmp_path / 'mail'}"}
        _run(["manage.py", "migrate", "--noinput"], env, timeout=300)
        _run(["manage.py", "shell", "-c", SEED], env, timeout=120)

        cache = RedisCache(redis.url, {})
        worker = WorkerProcess(env={**env, "PGAPPNAME": "qms-worker"}, log_path=tmp_path / "worker.log",
                               cache=cache).start(timeout=90)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web_log = (tmp_path / "web.log").open("wb")
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "qms_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60", "--graceful-timeout", "5", "--error-logfile", "-"],
            env={**env, "PGAPPNAME": "qms-web"}, cwd=PROJECT_DIR, stdout=web_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                status, health = _http("GET", f"{base}/healthz", timeout=5)
                if status == 200:
                    break
            except OSError:
                status, health = None, {}
            assert web.poll() is None and time.monotonic() < deadline, (
                f"gunicorn did not become healthy ({status} {health}):\n" + (tmp_path / "web.log").read_text()[-3000:])
            time.sleep(0.3)
        sender = Celery("qms-test-sender", broker=redis.url)

        # Before: the portal answers from the database and keeps its connection open (CONN_MAX_AGE); the worker
        # writes to the database.
        assert health == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}
        status, token = _http("POST", f"{base}/api/v1/auth/token/", {"username": "restart-admin",
                                                                      "password": PASSWORD})
        assert status == 200 and token.get("token"), (status, token)
        web_backends = _backends(postgres.url, "qms-web")
        assert len(web_backends) == 1, "the web process should keep one persistent connection"
        _round_trip(sender, cache, 2031)
        assert _periods(postgres.url, 2031) == 2
        worker_pid, log_offset = worker.pid, worker.log_path.stat().st_size

        # A real restart: the postmaster stops (every backend ends) and starts again on the same port.
        postgres.restart()
        restarted = time.monotonic()
        assert _backends(postgres.url, "qms-web") == []

        # The very first request after the restart already succeeds: the dead connection is noticed by the
        # health check (CONN_HEALTH_CHECKS) and replaced, not reported as an error.
        status, health = _http("GET", f"{base}/healthz")
        assert (status, health["database"]) == (200, "ok"), health
        status, again = _http("POST", f"{base}/api/v1/auth/token/", {"username": "restart-admin",
                                                                      "password": PASSWORD})
        assert status == 200 and again.get("token") and again["token"] != token["token"], again
        web_recovered = time.monotonic() - restarted
        new_backends = _backends(postgres.url, "qms-web")
        assert len(new_backends) == 1 and new_backends != web_backends

        # The same worker process, not restarted, runs a database task sent after the restart, first time.
        took = _round_trip(sender, cache, 2032)
        assert _periods(postgres.url, 2032) == 2
        assert worker.pid == worker_pid and worker.process.poll() is None
        with worker.log_path.open("rb") as log:
            log.seek(log_offset)
            after = log.read().decode(errors="replace")
        assert "ensure_periods" in after and "succeeded" in after, after[-3000:]
        for sign in ("OperationalError", "InterfaceError", "Retry in", "raised unexpected"):
            assert sign not in after, after[-3000:]
        assert web.poll() is None
        assert web_recovered < 15 and took < 30, (web_recovered, took)
        print(f"recovered after the PostgreSQL restart: web {web_recovered:.2f}s, worker task {took:.2f}s")
    finally:
        if sender is not None:
            sender.close()
        if web is not None:
            web.terminate()
            try:
                web.wait(timeout=20)
            except subprocess.TimeoutExpired:
                web.kill()
                web.wait(timeout=10)
        if web_log is not None:
            web_log.close()
        if worker is not None:
            worker.stop()
        redis.stop()
        postgres.stop()
