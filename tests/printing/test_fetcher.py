import base64
import socket

import pytest
from weasyprint.urls import FatalURLFetchingError

from qms_portal.printing.fetcher import DEFAULT_STATIC_ROOT, ResourceRefused, StaticFilesFetcher
from qms_portal.printing.render import html_to_pdf


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything tries to open a connection."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://example.com/static/css/print/official.css",
        "ftp://example.com/file.txt",
        "file:///etc/passwd",
        "file://remote-host" + str(DEFAULT_STATIC_ROOT / "css/print/official.css"),
        "file://" + str(DEFAULT_STATIC_ROOT / "../manage.py"),
        "file://" + str(DEFAULT_STATIC_ROOT / "%2e%2e/manage.py"),
        "static:../../etc/passwd",
        "static:%2e%2e/%2e%2e/etc/passwd",
        "static:css/../../manage.py",
        "static:css/does-not-exist.css",
        "static:css",
        "javascript:alert(1)",
    ],
)
def test_refuses_everything_outside_the_static_root(url, no_network):
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher().fetch(url)


def test_refuses_a_symlink_that_escapes_the_static_root(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link.txt").symlink_to(secret)
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher(root).fetch("static:link.txt")


def test_serves_a_real_static_file_by_static_and_file_url():
    fetcher = StaticFilesFetcher()
    expected = (DEFAULT_STATIC_ROOT / "css/print/official.css").read_bytes()
    for url in ("static:css/print/official.css", fetcher.base_url + "css/print/official.css"):
        response = fetcher.fetch(url)
        assert response.read() == expected
        assert response.content_type == "text/css"


def test_serves_the_bundled_fonts():
    response = StaticFilesFetcher().fetch("static:fonts/LiberationSerif-Bold.ttf")
    assert response.content_type == "font/ttf"
    assert response.read()[:4] == b"\x00\x01\x00\x00"  # TrueType


def test_static_root_can_be_overridden(tmp_path):
    (tmp_path / "a.css").write_text("p {}")
    assert StaticFilesFetcher(tmp_path).fetch("static:a.css").read() == b"p {}"
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher(tmp_path).fetch("static:css/print/official.css")


def test_serves_data_urls():
    png = b"\x89PNG\r\n\x1a\nfake"
    response = StaticFilesFetcher().fetch("data:image/png;base64," + base64.b64encode(png).decode())
    assert response.read() == png
    assert response.content_type == "image/png"


def test_rendering_aborts_instead_of_fetching_a_remote_resource(no_network):
    html = '<p>Xin chào</p><img src="http://example.com/tracker.png">'
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(html)


def test_rendering_with_only_local_resources_succeeds(no_network):
    html = '<link rel="stylesheet" href="static:css/print/official.css"><p>Xin chào</p>'
    assert html_to_pdf(html).startswith(b"%PDF-")
