"""The production path as the image runs it: the Dockerfile's collectstatic step under production settings, then
gunicorn under production settings (manifest storage, that STATIC_ROOT) serving the login page, a dashboard and a
PDF, every static URL of the pages a hashed name that exists. A vendored file with a dangling reference fails."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import PASSWORD, _database_url_for_subprocess
from tests.deployment import ROOT, collectstatic_step, dockerfile_env, image_command

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
STATIC_URL = re.compile(r"""(?:href|src)=["'](/static/[^"']+)["']""")
PRODUCTION_VARIABLES = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_BASE_URL", "STATIC_ROOT")


def _collectstatic(static_root: Path, **overrides) -> subprocess.CompletedProcess:
    """The Dockerfile's collectstatic RUN line, with its own environment, into `static_root`."""
    step_env, command = collectstatic_step()
    assert command == ["python", "manage.py", "collectstatic", "--noinput"], command
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=dockerfile_env()["DJANGO_SETTINGS_MODULE"], **step_env,
               STATIC_ROOT=str(static_root))
    env.update(overrides)
    return subprocess.run([sys.executable, *command[1:]], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = _collectstatic(static_root)
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root


def test_collectstatic_under_production_settings_hashes_every_file(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    ours = [path.relative_to(ROOT / "static").as_posix() for path in (ROOT / "static").rglob("*") if path.is_file()]
    assert ours and "vendor/chartjs/chart.umd.min.js" in ours
    for name in ours:
        assert HASHED_NAME.search(manifest[name]), name
        assert (collected / manifest[name]).is_file(), manifest[name]


def test_a_vendored_file_with_a_dangling_reference_fails_the_build(tmp_path):
    extra = tmp_path / "static"
    (extra / "vendor" / "widget").mkdir(parents=True)
    (extra / "vendor" / "widget" / "widget.min.js").write_text(
        "console.log(1);\n//# sourceMappingURL=widget.min.js.map\n")
    (tmp_path / "settings_with_vendor.py").write_text(
        "from qms_portal.settings.production import *  # noqa: F403\n"
        f"STATICFILES_DIRS = [*STATICFILES_DIRS, {str(extra)!r}]  # noqa: F405\n")
    result = _collectstatic(tmp_path / "root", DJANGO_SETTINGS_MODULE="settings_with_vendor",
                            PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    assert result.returncode != 0
    assert "MissingFileError" in result.stderr and "widget.min.js.map" in result.stderr


# --- gunicorn under production settings ---------------------------------------------------------------------


class Browser:
    """Plain HTTP with a cookie jar that also sends the Secure cookies production sets (the test speaks HTTP)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, *, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, response.headers, content

    def get(self, path: str):
        return self.request("GET", path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_args(port: int) -> list[str]:
    """The image's web command, bound to a local port with one worker."""
    args = image_command()
    assert args[:2] == ["gunicorn", "qms_portal.wsgi:application"], args
    args = [f"127.0.0.1:{port}" if arg == "0.0.0.0:${PORT:-8000}" else arg for arg in args[1:]]
    args[args.index("--workers") + 1] = "1"
    return args


@pytest.fixture
def production_server(collected, settings, tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE=dockerfile_env()["DJANGO_SETTINGS_MODULE"], STATIC_ROOT=str(collected),
               SECRET_KEY="test-only-production-path-" + "k7Qz" * 12, ALLOWED_HOSTS="127.0.0.1",
               PORTAL_BASE_URL="https://qms.example.gov.vn", SECURE_SSL_REDIRECT="false",
               DATABASE_URL=_database_url_for_subprocess(), MEDIA_ROOT=str(settings.MEDIA_ROOT))
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", *_gunicorn_args(port)], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    browser = Browser(port)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                browser.get("/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.5)
        yield browser, collected
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _static_urls_resolve(browser: Browser, static_root: Path, page: bytes) -> int:
    urls = STATIC_URL.findall(page.decode())
    for url in urls:
        name = url.removeprefix("/static/")
        assert HASHED_NAME.search(name), f"{url} is not a hashed name"
        assert (static_root / name).is_file(), url
        status, _headers, _content = browser.get(url)
        assert status == 200, url
    return len(urls)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_under_production_settings_serves_pages_and_a_pdf(production_server, cast):
    from audits import services
    from audits.checklist_data import load_reference_data
    from audits.models import ChecklistItem, ChecklistVersion, FindingClass, PdfStatus
    from qms_portal.hashers import Argon2idPasswordHasher
    from tests.audits.conftest import approved_plan, setup_province

    browser, static_root = production_server
    load_reference_data(ChecklistVersion=ChecklistVersion, ChecklistItem=ChecklistItem, FindingClass=FindingClass)
    setup_province(cast, "ag")
    plan = approved_plan(cast, "ag")
    assert services.pdf_request(document=plan) == PdfStatus.DONE  # Celery is eager here: made at approval
    plan.refresh_from_db()
    inspector = cast.users["ag_inspector"]
    hasher = Argon2idPasswordHasher()  # what production verifies (the tests hash with MD5)
    inspector.password = hasher.encode(PASSWORD, hasher.salt())
    inspector.save(update_fields=["password"])

    status, _headers, login_page = browser.get("/accounts/login/")
    assert status == 200
    assert _static_urls_resolve(browser, static_root, login_page) >= 2  # the style sheet and the icon
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1).decode()
    status, headers, _content = browser.request("POST", "/accounts/login/", form={
        "csrfmiddlewaretoken": unescape(token), "username": "ag_inspector", "password": PASSWORD})
    assert status == 302 and headers["Location"] == "/", status

    status, _headers, dashboard = browser.get("/")
    assert status == 200
    assert "An Giang" in dashboard.decode()
    assert _static_urls_resolve(browser, static_root, dashboard) >= 3  # style sheet, icon, the charts' scripts

    status, headers, pdf = browser.get(f"/inspections/plans/{plan.pk}/pdf/")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and len(pdf) == plan.pdf_file.size
