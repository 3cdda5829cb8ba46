import pytest

from tests.support.html import foreign_urls, linked_urls

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_login_and_home(client, cast):
    response = client.post("/accounts/login/", {"username": "ag_officer", "password": "correct-horse-battery"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Sở Tư pháp" in page and "Cán bộ đầu mối ISO" in page


def test_wrong_password_message(client, cast):
    page = client.post("/accounts/login/", {"username": "ag_officer", "password": "x"}).content.decode()
    assert "mật khẩu chính xác" in page


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("user", "expected"), [
    ("ag_inspector", "An Giang"), ("ag_ubnd", "An Giang"), ("ministry", "Cao Bằng"), ("admin", "An Giang")])
def test_home_per_role(client, cast, user, expected):
    client.force_login(cast.users[user])
    assert expected in client.get("/").content.decode()


def test_agency_list_page_search_and_scope(client, cast):
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/agencies/", {"q": "tu phap"}).content.decode()
    assert "Sở Tư pháp" in page and "Sở Nội vụ" not in page
    page = client.get("/agencies/").content.decode()
    assert "Cao Bằng" not in page and "Sở Nội vụ" in page


def test_agency_list_pages_filters_and_order(client, cast):
    """The page is chosen on the agency table alone, then loaded: the same order, page by page, each row with its
    obligation of this year; the obligation filter probes this year's row."""
    import re

    from django.utils import timezone

    from agencies.models import AgencyKind, ObligationLevel
    from tests.factories import AgencyFactory, ObligationFactory

    year = timezone.localdate().year
    made = [AgencyFactory(province=cast.provinces["ag"], name=f"Trường Thử {n:02d}",
                          kind=AgencyKind.PUBLIC_SERVICE_UNIT) for n in range(30)]
    for agency in made[:3]:
        ObligationFactory(agency=agency, year=year, level=ObligationLevel.MANDATORY)
    ObligationFactory(agency=made[3], year=year - 1, level=ObligationLevel.MANDATORY)  # last year's: not this year
    client.force_login(cast.users["ag_inspector"])

    def names(**params):
        page = client.get("/agencies/", {"q": "truong thu", **params}).content.decode()
        return re.findall(r"Trường Thử \d\d", page), page

    first, page = names()
    second, _ = names(page=2)
    assert first + second == [f"Trường Thử {n:02d}" for n in range(30)]
    assert "30 cơ quan" in page and page.count("badge-strong") == 3
    past_the_end, page = names(page=9)  # one past the end (or more) shows the last page
    assert past_the_end == second and "30 cơ quan" in page
    nothing, page = names(q="khong co dau")
    assert nothing == [] and "0 cơ quan" in page
    mandatory, page = names(obligation=ObligationLevel.MANDATORY)
    assert mandatory == ["Trường Thử 00", "Trường Thử 01", "Trường Thử 02"] and "3 cơ quan" in page


def test_english_switch(client, cast):
    client.force_login(cast.users["ag_inspector"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    page = client.get("/agencies/").content.decode()
    assert "Agencies" in page and "Obligation this year" in page


def test_agency_page_shows_history(client, cast, api):
    stp = cast.agencies["ag_stp"]
    api.as_user(cast.users["ag_inspector"]).patch(f"/api/v1/agencies/{stp.pk}/", {"website": "https://stp.angiang.gov.vn"},
                                                  format="json")
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/agencies/{stp.pk}/").content.decode()
    assert "https://stp.angiang.gov.vn" in page and "ag_inspector" in page


def test_no_cdn_in_pages(client, cast):
    """Every script, style sheet, image and link of the page is the portal's own (closed intranets)."""
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/agencies/").content.decode()
    assert linked_urls(page) and not foreign_urls(page)


def test_pages_stay_vietnamese_for_an_english_browser(client, cast):
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/agencies/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Cơ quan" in page


def test_pages_are_light(client, cast):
    """Slow provincial links: the HTML of each main page stays far under 300 KB."""
    from tests.factories import AgencyFactory

    for _ in range(60):
        AgencyFactory(province=cast.provinces["ag"])
    client.force_login(cast.users["ag_inspector"])
    stp = cast.agencies["ag_stp"].pk
    for path in ("/", "/agencies/", f"/agencies/{stp}/", f"/agencies/{stp}/qms/", "/compliance/"):
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.content) < 300_000, path


@pytest.mark.parametrize("path", ["/", "/agencies/", "/agencies/{stp}/", "/agencies/{stp}/qms/", "/findings/",
                                  "/reports/", "/compliance/"])
def test_pages_never_link_to_the_api(client, cast, path):
    """Page and API routes share names (the DRF router's agency-list, agency-detail): pages link to pages."""
    import re

    client.force_login(cast.users["ag_inspector"])
    page = client.get(path.format(stp=cast.agencies["ag_stp"].pk))
    assert page.status_code == 200
    links = re.findall(r'href="([^"]+)"', page.content.decode())
    assert links and not [link for link in links if link.startswith("/api/v1/")]


@pytest.mark.parametrize("user, linked", [("ag_officer", False), ("ag_inspector", True)])
def test_the_agency_page_links_its_parent_and_units_only_when_the_reader_may_open_them(client, cast, user, linked):
    """An agency's staff see their own agency only: the page of Sở Tư pháp linked its parent, the provincial
    People's Committee, and its units, which answered 404 to them."""
    from tests.factories import AgencyFactory

    stp = cast.agencies["ag_stp"]
    unit = AgencyFactory(name="Phòng Hành chính tư pháp", short_code="PHCTP", province=stp.province, parent=stp)
    client.force_login(cast.users[user])
    page = client.get(f"/agencies/{stp.pk}/").content.decode()
    assert "Ủy ban nhân dân tỉnh An Giang" in page and "Phòng Hành chính tư pháp" in page
    links = set(linked_urls(page))
    for agency in (cast.agencies["ag_ubnd"], unit):
        assert (f"/agencies/{agency.pk}/" in links) is linked
        if linked:
            assert client.get(f"/agencies/{agency.pk}/").status_code == 200
