"""What an exporter is, and the registry the views and the worker find them in."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse


class Exporter:
    """One kind of export. Subclasses set `kind`, `label`, `page` (the URL name of the list it exports) and
    `filter_keys` (the query-string keys that list reads), and implement the methods below.

    `params` are what `clean` made of the query string: JSON, kept on the job, read again by the worker with the
    person's rights of that moment (`authorize` runs in the request and again in the worker).
    """

    kind: str = ""
    label = ""
    extension = "xlsx"
    page: str = ""
    filter_keys: tuple[str, ...] = ()

    def authorize(self, *, actor) -> None:
        """PermissionDenied when `actor` may not export this."""
        raise NotImplementedError

    def clean(self, query: QueryDict) -> dict:
        """The filters of the query string, checked (a bad value is a 400), as JSON, with the query string of the
        list's filters (`query`) that leads back to it."""
        asked = sorted((key, query[key]) for key in self.filter_keys if query.get(key))
        return {**self.filters(query), "query": urlencode(asked)}

    def filters(self, query: QueryDict) -> dict:
        """The checked filters, as JSON (dates as ISO text)."""
        raise NotImplementedError

    def rows_at_most(self, *, actor, params: dict) -> int:
        """An upper bound of the rows, cheap to count: decides between the request and the worker."""
        raise NotImplementedError

    def make(self, *, actor, params: dict) -> tuple[bytes, str]:
        """The file and its name."""
        raise NotImplementedError

    def back_url(self, params: dict) -> str:
        """The list the export was asked from, with its filters."""
        query = params.get("query", "")
        return reverse(self.page) + (f"?{query}" if query else "")


REGISTRY: dict[str, Exporter] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    """Class decorator: make this kind of export known to the views and the worker."""
    REGISTRY[exporter_class.kind] = exporter_class()
    return exporter_class
