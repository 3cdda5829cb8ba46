"""Reading HTML in tests by its elements, not by substrings of the whole page (a random CSRF token can contain any
three letters)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

RESOURCE_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                       "a": "href", "form": "action", "video": "src", "audio": "src", "embed": "src"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attribute = RESOURCE_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if value and (name == attribute or name == "srcset"):
                self.urls.append(value)


def linked_urls(page: str) -> list[str]:
    """Every URL the page loads or links to (src, href, action, srcset)."""
    collector = _Collector()
    collector.feed(page)
    return collector.urls


def foreign_urls(page: str, *, allowed_hosts=("testserver",)) -> list[str]:
    """The URLs that leave the portal's own origin (an absolute URL to another host, or protocol-relative)."""
    foreign = []
    for url in linked_urls(page):
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "data"):
            continue
        if (parts.scheme or url.startswith("//")) and parts.hostname not in allowed_hosts:
            foreign.append(url)
    return foreign
