"""Health of the three things the portal needs: the database, the broker and a worker."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "worker:heartbeat"


def worker_heartbeat_write() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=settings.WORKER_HEARTBEAT_MAX_AGE * 4)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    from qms_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def worker_ok() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True  # tasks run in-process: there is no separate worker to wait for
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        return False
    return beat is not None and time.time() - float(beat) < settings.WORKER_HEARTBEAT_MAX_AGE


def health_report() -> dict[str, str]:
    checks = {"database": database_ok(), "broker": broker_ok(), "worker": worker_ok()}
    return {name: "ok" if up else "down" for name, up in checks.items()}
