"""PostgreSQL and Redis for the benchmark: started the way `.ci/run` starts them when they are down and local,
and the benchmark's own database created if it does not exist yet."""

import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

LOCAL = ("127.0.0.1", "localhost")


def _pg_connect(url: str, dbname: str | None = None):
    import psycopg2

    u = urlparse(url)
    return psycopg2.connect(dbname=dbname or u.path.lstrip("/"), user=unquote(u.username or "postgres"),
                            password=unquote(u.password or "") or None, host=u.hostname, port=u.port or 5432,
                            connect_timeout=3)


def _pg_up(url: str) -> bool:
    try:
        _pg_connect(url, "postgres").close()
        return True
    except Exception:
        return False


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


def _wait(check, what: str, seconds: int = 30) -> None:
    for _ in range(seconds):
        if check():
            return
        time.sleep(1)
    raise SystemExit(f"bench: {what} is not reachable")


def ensure(database_url: str, redis_url: str, log=print) -> None:
    db, cache = urlparse(database_url), urlparse(redis_url)
    if not _pg_up(database_url):
        if db.hostname not in LOCAL:
            raise SystemExit(f"bench: PostgreSQL at {db.hostname} is down")
        version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
        log(f"bench: starting PostgreSQL {version} (as .ci/run does)")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
        _wait(lambda: _pg_up(database_url), "PostgreSQL")
    if not _redis_up(redis_url):
        if cache.hostname not in LOCAL:
            raise SystemExit(f"bench: Redis at {cache.hostname} is down")
        log("bench: starting Redis on 127.0.0.1 (as .ci/run does)")
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(cache.port or 6379),
                        "--save", "", "--appendonly", "no"], check=False)
        _wait(lambda: _redis_up(redis_url), "Redis")
    name = db.path.lstrip("/")
    connection = _pg_connect(database_url, "postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"bench: creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def flush_redis(url: str) -> None:
    """Empty the benchmark's own Redis database (sessions of earlier runs, stale queues)."""
    import redis

    redis.Redis.from_url(url).flushdb()
