"""Filter and paging values that are not valid answer 400 naming the parameter, on every list of the API and
every list page, instead of being ignored (the list then showed something else than what was asked) or reaching
the database (an id past its integer range was a 500)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
NOT_AN_INTEGER = "Cần nhập một số nguyên hợp lệ."

API = [
    ("/api/v1/agencies/", "obligation", "zzz"), ("/api/v1/agencies/", "kind", "zzz"),
    ("/api/v1/agencies/", "active", "maybe"), ("/api/v1/agencies/", "parent", HUGE),
    ("/api/v1/agencies/", "province", "abc"),
    ("/api/v1/compliance/", "kind", "zzz"), ("/api/v1/compliance/", "rule", "zzz"),
    ("/api/v1/compliance/", "mandatory", "maybe"), ("/api/v1/compliance/", "province", HUGE),
    ("/api/v1/inspection-plans/", "year", "9999"), ("/api/v1/inspection-plans/", "status", "zzz"),
    ("/api/v1/inspection-plans/", "province", HUGE),
    ("/api/v1/inspections/", "kind", "zzz"), ("/api/v1/inspections/", "form", "zzz"),
    ("/api/v1/inspections/", "agency", HUGE), ("/api/v1/inspections/", "plan", "-1"),
    ("/api/v1/inspections/", "year", "abc"),
    ("/api/v1/findings/", "overdue", "maybe"), ("/api/v1/findings/", "status", "zzz"),
    ("/api/v1/findings/", "inspection", "1e5"), ("/api/v1/findings/", "agency", HUGE),
    ("/api/v1/reporting-periods/", "kind", "zzz"), ("/api/v1/reporting-periods/", "year", HUGE),
    ("/api/v1/reporting-periods/", "province", "abc"),
    ("/api/v1/agency-reports/", "status", "zzz"), ("/api/v1/agency-reports/", "period", HUGE),
    ("/api/v1/agency-reports/", "agency", "abc"),
    ("/api/v1/reports/", "kind", "zzz"), ("/api/v1/reports/", "status", "zzz"), ("/api/v1/reports/", "period", HUGE),
    ("/api/v1/completeness/", "period", HUGE),
    *[(path, "page_size", "abc") for path in ("/api/v1/agencies/", "/api/v1/inspections/", "/api/v1/findings/",
                                              "/api/v1/inspection-decisions/", "/api/v1/report-requests/",
                                              "/api/v1/reporting-periods/", "/api/v1/agency-reports/",
                                              "/api/v1/reports/", "/api/v1/compliance/")],
    ("/api/v1/inspection-plans/", "page", "abc"), ("/api/v1/reports/", "page", "0"),
]


@pytest.mark.parametrize(("path", "name", "value"), API)
def test_api_lists_refuse_values_they_cannot_use(api, cast, path, name, value):
    response = api.as_user(cast.users["admin"]).get(path, {name: value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]


def test_the_messages_say_what_is_wrong(api, cast):
    client = api.as_user(cast.users["admin"])
    assert client.get("/api/v1/agencies/", {"obligation": "zzz"}).json() == {
        "obligation": ["Vui lòng chọn một giá trị hợp lệ. zzz không nằm trong các lựa chọn hiện có."]}
    assert client.get("/api/v1/agencies/", {"active": "maybe"}).json() == {
        "active": ["Ghi true (có) hoặc false (không)."]}
    assert client.get("/api/v1/reports/", {"kind": "zzz"}).json() == {  # django-filter, as every list of the API
        "kind": ["Vui lòng chọn một giá trị hợp lệ. zzz không nằm trong các lựa chọn hiện có."]}
    assert client.get("/api/v1/agencies/", {"page_size": "abc"}).json() == {"page_size": [NOT_AN_INTEGER]}


def test_valid_values_still_filter(api, cast):
    client = api.as_user(cast.users["admin"])
    assert client.get("/api/v1/agencies/", {"active": "true", "page_size": 2}).json()["count"] == 8
    assert client.get("/api/v1/agencies/", {"active": "false"}).json()["count"] == 0
    assert client.get("/api/v1/compliance/", {"mandatory": "true", "kind": "so"}).status_code == 200


PAGES = [
    ("/agencies/", "kind", "zzz"), ("/agencies/", "obligation", "zzz"), ("/agencies/", "active", "maybe"),
    ("/agencies/", "page", "abc"),
    ("/compliance/", "rule", "zzz"), ("/compliance/", "kind", "zzz"), ("/compliance/", "stage", "zzz"),
    ("/compliance/", "province", HUGE), ("/compliance/", "mandatory", "maybe"), ("/compliance/", "sort", "zzz"),
    ("/compliance/", "page", "-1"), ("/compliance/export.xlsx", "rule", "zzz"),
    ("/findings/", "show", "zzz"), ("/findings/", "agency", HUGE), ("/findings/", "page", "abc"),
    ("/findings/", "agencies_page", "abc"),
    ("/audit-log/", "action", "zzz"), ("/audit-log/", "page", "abc"),
    ("/reports/", "page", "abc"), ("/reports/consolidated/new/", "period", HUGE),
    ("/reports/consolidated/new/", "year", "99999"),
]


@pytest.mark.parametrize(("path", "name", "value"), PAGES)
def test_list_pages_refuse_values_they_cannot_use(client, cast, path, name, value):
    client.force_login(cast.users["admin"])
    response = client.get(path, {name: value})
    assert response.status_code == 400
    assert response.templates[0].name == "400.html"
    assert f"<code>{name}</code>" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, cast):
    client.force_login(cast.users["admin"])
    response = client.get("/agencies/", {"page": 99})
    assert response.status_code == 200 and response.context["page"].number == 1


def test_api_page_last_is_the_last_page(api, cast):
    """DRF's "last" page names the last page (it was passed on as the word and answered 404); past the end is a
    404 in the reader's language."""
    client = api.as_user(cast.users["admin"])
    pages = [client.get("/api/v1/agencies/", {"page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    assert pages[2]["results"] and not pages[2]["next"]
    last = client.get("/api/v1/agencies/", {"page_size": 3, "page": "last"})
    assert last.status_code == 200 and last.json()["results"] == pages[2]["results"]
    assert client.get("/api/v1/agencies/", {"page_size": 3, "page": "first"}).status_code == 400
    past = client.get("/api/v1/agencies/", {"page_size": 3, "page": 99})
    assert past.status_code == 404 and past.json() == {"detail": "Trang không hợp lệ."}  # (it was left in English)


NUL = "\x00"  # PostgreSQL refuses it in a text: it reached the database as a 500


@pytest.mark.parametrize(("user", "path", "name", "value"), [
    ("ag_inspector", "/register/", "q", NUL), ("ag_inspector", "/register/?format=xlsx", "q", NUL),
    ("ag_inspector", "/obligations/2026/", "q", NUL), ("admin", "/audit-log/", "user", NUL),
    ("ag_inspector", "/register/", "q", "x" * 101),
])
def test_search_text_that_cannot_be_searched_is_a_400(client, cast, user, path, name, value):
    client.force_login(cast.users[user])
    response = client.get(path, {name: value})
    assert response.status_code == 400 and f"<code>{name}</code>" in response.content.decode()


@pytest.mark.parametrize(("user", "path", "name"), [
    ("ag_inspector", "/api/v1/outgoing-documents/", "q"), ("admin", "/api/v1/auth/tokens/", "user")])
def test_api_search_text_that_cannot_be_searched_is_a_400(api, cast, user, path, name):
    response = api.as_user(cast.users[user]).get(path, {name: NUL})
    assert response.status_code == 400 and response.json() == {name: ["Không cho phép ký tự null."]}


def test_a_register_search_by_a_number_takes_only_decimal_digits(client, cast):
    """"²" is a digit to Python's isdigit() but no number to int(): a 500 before."""
    client.force_login(cast.users["ag_inspector"])
    for q in ("²", "²/BC-SKHCN", "05/BC"):
        response = client.get("/register/", {"q": q})
        assert response.status_code == 200 and response.context["q"] == q
