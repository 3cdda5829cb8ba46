"""Query-string parameters of lists and pages, read strictly: a value that is not valid is a 400 naming the
parameter, never silently ignored (the list would then show something else than what was asked).

The same rules for the API and the HTML pages: `InvalidQuery` is a `BadRequest`, which the API's exception
handler turns into DRF's 400 body and Django's `handler400` into the 400 page. Values are checked with DRF's
fields, so the messages are the ones the API already speaks (and our catalogues translate).
"""

from datetime import date

from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from rest_framework import serializers

from .fields import FIRST_DAY, LAST_DAY

# Ids and codes in query strings: what a PostgreSQL integer column holds (a larger one made it fail).
MAX_ID = 2**31 - 1


class InvalidQuery(BadRequest):
    """Parameters of the query string with values that are not valid: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = {name: [str(message) for message in messages] for name, messages in errors.items()}
        super().__init__(self.errors)


def _parse(params, name: str, field: serializers.Field):
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return field.run_validation(value)
    except serializers.ValidationError as error:
        raise InvalidQuery({name: list(error.detail)}) from None


def int_param(params, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    return _parse(params, name, serializers.IntegerField(min_value=minimum, max_value=maximum))


def text_param(params, name: str, *, max_length: int = 100) -> str:
    """Free text (a search): "" when absent; longer than `max_length` or with a NUL character (which PostgreSQL
    refuses) is a 400."""
    return _parse(params, name, serializers.CharField(max_length=max_length)) or ""


def year_param(params, name: str = "year") -> int | None:
    return int_param(params, name, minimum=FIRST_DAY.year, maximum=LAST_DAY.year)


def month_param(params, name: str = "month") -> date | None:
    """A month as "2026-04": the first day of that month."""
    return _parse(params, name, serializers.DateField(input_formats=["%Y-%m"]))


def choice_param(params, name: str, choices) -> str | None:
    return _parse(params, name, serializers.ChoiceField(choices=list(choices)))


def bool_param(params, name: str) -> bool | None:
    return _parse(params, name, serializers.BooleanField())


def filtered(filterset):
    """The filterset's queryset; a parameter with a value that is not valid raises InvalidQuery."""
    if filterset.is_bound and not filterset.is_valid():
        raise InvalidQuery({name: list(messages) for name, messages in filterset.errors.items()})
    return filterset.qs


def page_of(request, items, per_page: int, *, param: str = "page") -> Page:
    """The page of `items` the query asks for: a number that is not a whole number from 1 is a 400, one past the
    end shows the last page."""
    number = int_param(request.GET, param, minimum=1) or 1
    return Paginator(items, per_page).get_page(number)


def counted_ids(items):
    """The ids of `items`, each row with the number of all of them ("matches", from COUNT(*) OVER ()): what
    `rows_page` pages in one query."""
    from django.db.models import Count, Window

    return items.annotate(matches=Window(Count("pk"))).values("pk", "matches")


def rows_page(rows, per_page: int, number: int) -> Page | None:
    """Page `number` of `rows` (dicts of a `values()` query, each with the number of all rows as "matches", from
    COUNT(*) OVER ()) in one query: a large result is scanned once, not once to count and once to sort. None past
    the end."""
    found = list(rows[(number - 1) * per_page:number * per_page])
    if not found and number > 1:
        return None
    paginator = Paginator([], per_page)
    paginator.count = found[0]["matches"] if found else 0  # the cached property, given
    return Page(found, number, paginator)


def page_of_ids(request, items, per_page: int, *, param: str = "page", one_pass: bool = True) -> Page:
    """`page_of` for the ids of a large result, in one query instead of two (`counted_ids`), so that a national
    search scans its matches once, not once to count and once to sort. One past the end shows the last page (a
    second query, only then). Not `one_pass`: a COUNT and a slice, faster where both read an index alone."""
    if not one_pass:
        page = page_of(request, items.values_list("pk", flat=True), per_page, param=param)
        page.object_list = list(page.object_list)
        return page
    page = page_of_rows(request, counted_ids(items), per_page, param=param, count=items.count)
    page.object_list = [row["pk"] for row in page.object_list]
    return page


def page_of_rows(request, rows, per_page: int, *, param: str = "page", count) -> Page:
    """The page of `rows` (see `rows_page`) the query asks for, in one query. One past the end shows the last page
    (`count()`, then that page: only then)."""
    number = int_param(request.GET, param, minimum=1) or 1
    page = rows_page(rows, per_page, number)
    if page is None:  # (or the first, if the rows went away in between)
        page = rows_page(rows, per_page, max(1, -(-count() // per_page))) or rows_page(rows, per_page, 1)
    return page
