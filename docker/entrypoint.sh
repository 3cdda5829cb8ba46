#!/bin/sh
# Entrypoint of the QMS Portal image (web, worker and beat).
#   1. waits for PostgreSQL when DATABASE_URL points at it (DB_WAIT_TIMEOUT seconds, default 60);
#   2. runs migrations and loads the administrative divisions when RUN_MIGRATIONS=1
#      (set it on exactly one service, the web one);
#   3. execs the command, which then runs as PID 1 and receives the container's signals.
set -eu

cd "$(dirname "$0")/.."

if [ -n "${DATABASE_URL:-}" ]; then
    python -c '
import os, sys, time

import environ
import psycopg2

config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
if not config["ENGINE"].endswith(("postgresql", "postgis")):
    sys.exit(0)  # not PostgreSQL (e.g. SQLite): nothing to wait for
params = {
    "dbname": config.get("NAME") or None,
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
    **config.get("OPTIONS", {}),
}
deadline = time.monotonic() + int(os.environ.get("DB_WAIT_TIMEOUT", "60"))
attempt = 0
while True:
    attempt += 1
    try:
        psycopg2.connect(connect_timeout=3, **params).close()
        break
    except psycopg2.OperationalError as exc:
        if time.monotonic() >= deadline:
            first_line = (str(exc).strip().splitlines() or ["unknown error"])[0]
            sys.exit(f"entrypoint: database not reachable after {attempt} attempts: {first_line}")
        print(f"entrypoint: waiting for the database (attempt {attempt})", file=sys.stderr, flush=True)
        time.sleep(2)
'
fi

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
    python manage.py load_divisions --verbosity 0
fi

exec "$@"
