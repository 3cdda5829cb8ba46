"""Production settings refuse to start without a real secret key and allowed hosts; what serves people (the web
process, a worker, `manage.py check`) refuses to start without the portal's public address, while build steps
such as collectstatic need none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3J9-very-long-random-looking-production-secret-key-0123456789abcdef"


def _production(command: list[str], **env):
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_BASE_URL", "OTP_REQUIRED_ROLES")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(DJANGO_SETTINGS_MODULE="qms_portal.settings.production", **env)
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


def _import_production(**env):
    """What the web process does first: load the WSGI application."""
    return _production(["-c", "import qms_portal.wsgi"], **env)


@pytest.mark.parametrize(("env", "missing"), [
    ({}, "SECRET_KEY"),
    ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "qms.example", "PORTAL_BASE_URL": "https://qms.example"}, "SECRET_KEY"),
    ({"SECRET_KEY": "django-insecure-" + "x" * 60, "ALLOWED_HOSTS": "qms.example"}, "SECRET_KEY"),
    ({"SECRET_KEY": GOOD_KEY, "PORTAL_BASE_URL": "https://qms.example"}, "ALLOWED_HOSTS"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "qms.example"}, "PORTAL_BASE_URL"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "qms.example", "PORTAL_BASE_URL": "qms.example"}, "PORTAL_BASE_URL"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "qms.example", "PORTAL_BASE_URL": "ftp://qms.example"},
     "PORTAL_BASE_URL"),
])
def test_production_refuses_unsafe_configuration(env, missing):
    result = _import_production(**env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must" in result.stderr


def test_production_starts_with_real_settings():
    result = _import_production(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="qms.example",
                                PORTAL_BASE_URL="https://qms.example")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("env", "roles"), [
    ({}, "['administrator', 'province_admin']"),  # who grants roles, unless the deploy says otherwise
    ({"OTP_REQUIRED_ROLES": "administrator,inspector"}, "['administrator', 'inspector']"),
])
def test_production_asks_the_administrators_for_a_second_factor(env, roles):
    environment = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "qms.example", "PORTAL_BASE_URL": "https://qms.example"}
    result = _production(["-c", "from django.conf import settings; import django; django.setup(); "
                                "print(settings.OTP_REQUIRED_ROLES)"], **environment, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == roles


def test_defaults_are_the_local_postgresql_and_no_redis():
    """With nothing set, the local PostgreSQL (`make run` creates the database) and the file-system broker."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment["DJANGO_SETTINGS_MODULE"] = "qms_portal.settings.local"
    result = subprocess.run([sys.executable, "-c", (
        "from qms_portal.settings import local as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], s.CELERY_BROKER_URL, s.LANGUAGE_CODE, s.TIME_ZONE)")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "127.0.0.1", "5432", "qms_portal",
                                     "filesystem://", "vi", "Asia/Ho_Chi_Minh"]


@pytest.mark.parametrize(("url", "folder"), [
    (None, str(ROOT / "var" / "mail")),
    ("filemail:///srv/qms/mail", "/srv/qms/mail"),
])
def test_local_mail_is_written_where_the_address_says(url, folder):
    """The e-mails of `make run` were written under the current folder + "work/main/var/mail": django-environ
    reads "filemail:///abs/path" as a relative path."""
    environment = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="qms_portal.settings.local", **({"EMAIL_URL": url} if url else {}))
    result = subprocess.run([sys.executable, "-c", "from qms_portal.settings import local as s; "
                             "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"],
                            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.filebased.EmailBackend", folder]


def test_build_steps_need_no_public_address(tmp_path):
    """The Dockerfile's collectstatic (and any operator running it the same way) needs only the key and hosts."""
    result = _production(["manage.py", "collectstatic", "--noinput"], SECRET_KEY=GOOD_KEY,
                         ALLOWED_HOSTS="qms.example", STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.mark.parametrize("address", ["", "qms.example", "ftp://qms.example"])
def test_what_serves_people_refuses_to_start_without_the_public_address(address):
    env = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "qms.example", "PORTAL_BASE_URL": address}
    check = _production(["manage.py", "check"], **env)
    assert check.returncode != 0 and "qms_portal.E001" in check.stderr and "PORTAL_BASE_URL must" in check.stderr
    worker = _production(["-m", "celery", "-A", "qms_portal", "worker", "--pool=solo", "--loglevel=warning"], **env)
    assert worker.returncode != 0 and "PORTAL_BASE_URL must" in worker.stdout + worker.stderr
    good = _production(["manage.py", "check"], **{**env, "PORTAL_BASE_URL": "https://qms.example"})
    assert good.returncode == 0, good.stderr
