"""A WeasyPrint URL fetcher that never touches the network.

It serves three kinds of URL and refuses everything else:

- ``static:<path>``: a file under the static root, e.g. ``static:css/print/official.css``;
- ``file://<absolute path>``: only when the path lies inside the static root (this is how
  relative references resolve, because documents are rendered with the static root as base URL);
- ``data:...``: inline resources such as a QR code image.

Paths containing a ``..`` segment are refused outright, and the resolved path (symlinks followed)
must still be inside the static root.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

DEFAULT_STATIC_ROOT = Path(__file__).resolve().parents[2] / "static"
STATIC_SCHEME = "static:"

_CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
                  ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png"}


class ResourceRefused(ValueError):
    """The URL points outside the static root or uses a scheme we do not serve."""


class StaticFilesFetcher(URLFetcher):
    """Serve `static:`, `file:` (inside the static root) and `data:` URLs; refuse the rest.

    `fail_on_errors=True` (the default) makes WeasyPrint abort the whole rendering when a resource
    cannot be fetched, so a document never comes out silently without its stylesheet or fonts.
    """

    def __init__(self, static_root: Path | str | None = None, *, fail_on_errors: bool = True):
        super().__init__(allowed_protocols=("static", "file", "data"), allow_redirects=False,
                         fail_on_errors=fail_on_errors)
        self.static_root = Path(static_root or DEFAULT_STATIC_ROOT).resolve()

    @property
    def base_url(self) -> str:
        """The base URL documents are rendered with: relative references resolve into the static root."""
        return self.static_root.as_uri() + "/"

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "static":
            relative = unquote(urlsplit(url[len(STATIC_SCHEME):]).path)
            return self._serve(self._resolve(relative.lstrip("/"), url))
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise ResourceRefused(f"Remote file URL refused: {url}")
            path = Path(url2pathname(parts.path))
            try:
                relative = path.relative_to(self.static_root)
            except ValueError:
                raise ResourceRefused(f"File outside the static root refused: {url}") from None
            return self._serve(self._resolve(relative.as_posix(), url))
        raise ResourceRefused(f"Only static files and data: URLs are served, refused: {url}")

    def _resolve(self, relative: str, url: str) -> Path:
        if "\x00" in relative or ".." in relative.replace("\\", "/").split("/"):
            raise ResourceRefused(f"Path traversal refused: {url}")
        path = (self.static_root / relative).resolve()
        if not path.is_relative_to(self.static_root) or not path.is_file():
            raise ResourceRefused(f"No such static file: {url}")
        return path

    @staticmethod
    def _serve(path: Path) -> URLFetcherResponse:
        content_type = _CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(),
                                  headers={"Content-Type": content_type or "application/octet-stream"})

    @staticmethod
    def _fetch_data(url: str) -> URLFetcherResponse:
        response = DataHandler().data_open(Request(url))
        return URLFetcherResponse(url, body=response.read(), headers=dict(response.headers.items()))
