# QMS Portal image: one image for the web process (gunicorn), the Celery worker and Celery beat.
#   docker build -t qms-portal:latest .
# Runtime configuration comes from the environment only (see .env.example).

# ---------------------------------------------------------------------------------------------
# Stage 1: Python dependencies in a virtual environment, copied whole into the runtime stage.
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt

# ---------------------------------------------------------------------------------------------
# Stage 2: runtime.
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/opt/venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=qms_portal.settings.production \
    MEDIA_ROOT=/app/var/media \
    PORT=8000

# Shared libraries WeasyPrint needs (fonts are bundled in static/fonts), and pg_dump/pg_restore (15, the
# same major version as the compose database) for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        postgresql-client-15 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged user that runs every process of the image.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Translations: compile the .po catalogues when the project has any.
RUN chmod 0755 docker/entrypoint.sh \
    && if [ -d locale ] && [ -n "$(find locale -name 'django.po' -print -quit)" ]; then \
        python -m babel.messages.frontend compile -d locale -D django; \
    fi

# Static files for whitenoise. The key below exists only for this build step, is not a secret and never reaches
# the image's environment: the running containers get theirs, and PORTAL_BASE_URL, at run time.
# tests/qms_portal/test_production_path.py runs this very line.
RUN SECRET_KEY=build-only-not-secret-collectstatic-placeholder-key-do-not-use \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Stored (private) files live on a volume mounted at /app/var/media, writable by the app user.
RUN mkdir -p /app/var/media \
    && chown app:app /app/var /app/var/media

USER app

EXPOSE 8000

# /healthz answers 200 when the database, the broker and a worker are up. The request carries
# a host from ALLOWED_HOSTS and X-Forwarded-Proto so production's HTTPS redirect does not apply.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD python -c "import os,sys,urllib.request as u; h=os.environ.get('ALLOWED_HOSTS','localhost').split(',')[0].strip().lstrip('.'); h='localhost' if h in ('','*') else h; r=u.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT','8000'), headers={'Host': h, 'X-Forwarded-Proto': 'https'}); sys.exit(0 if u.urlopen(r, timeout=5).status == 200 else 1)"

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn qms_portal.wsgi:application --bind 0.0.0.0:${PORT:-8000} --workers 3 --timeout 120 --graceful-timeout 30 --access-logfile - --error-logfile -"]
