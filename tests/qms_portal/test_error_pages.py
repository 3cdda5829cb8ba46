"""400, 403, 404 and 500 are pages of the portal, in the user's language, saying what happened and where to go."""

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.urls("tests.qms_portal.error_urls")

ENGLISH = {settings.LANGUAGE_COOKIE_NAME: "en"}


def _client(user=None, *, english=False) -> Client:
    client = Client(raise_request_exception=False)
    if english:
        client.cookies.load(ENGLISH)
    if user is not None:
        client.force_login(user)
    return client


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_403_from_a_portal_view_names_the_reason_in_vietnamese(cast):
    """The dead end of issue 21: the agency officer opens "Mức độ tuân thủ"."""
    response = _client(cast.users["ag_officer"]).get("/compliance/", HTTP_REFERER="http://testserver/agencies/")
    page = _page(response)
    assert response.status_code == 403
    assert '<html lang="vi">' in page and "403 Forbidden" not in page
    assert "Tài khoản của bạn không được mở trang này" in page
    assert "Vai trò của bạn không được phép thực hiện thao tác này." in page  # the reason the service gave
    assert 'class="topbar"' in page and 'href="/"' in page  # a page of the portal, with its menu and home
    assert 'href="http://testserver/agencies/"' in page and "Quay lại trang trước" in page
    assert "Đăng nhập bằng tài khoản khác" in page


@pytest.mark.django_db
def test_403_in_english(cast):
    page = _page(_client(cast.users["ag_officer"], english=True).get("/compliance/"))
    assert '<html lang="en">' in page
    assert "Your account may not open this page" in page and "Your role does not allow this action." in page
    assert "Go to the home page" in page


@pytest.mark.django_db
def test_permission_denied_without_a_message_gets_the_generic_reason(cast):
    response = _client(cast.users["ag_inspector"]).get("/test-errors/denied/")
    assert response.status_code == 403
    assert "Vai trò của bạn không được phép thực hiện thao tác này." in _page(response)


@pytest.mark.django_db
def test_404_outside_the_scope_and_for_a_missing_page(cast):
    client = _client(cast.users["ag_officer"])
    other_province = cast.agencies["cb_stp"].pk
    for path in (f"/agencies/{other_province}/", "/no-such-page/"):
        response = client.get(path)
        page = _page(response)
        assert response.status_code == 404, path
        assert "Không tìm thấy trang này" in page and f"<code>{path}</code>" in page
        assert "ngoài phạm vi" in page and "Về trang chủ" in page
    assert "Quay lại trang trước" not in page  # no Referer: no back link


@pytest.mark.django_db
def test_404_in_english_for_a_visitor_offers_sign_in():
    response = _client(english=True).get("/no-such-page/")
    page = _page(response)
    assert response.status_code == 404
    assert "This page cannot be found" in page
    assert 'href="/accounts/login/?next=/no-such-page/"' in page and "Sign in" in page
    assert "Go to the home page" not in page  # the home page would only ask to sign in


@pytest.mark.django_db
def test_back_link_only_to_the_portal_itself(cast):
    client = _client(cast.users["ag_officer"])
    page = _page(client.get("/no-such-page/", HTTP_REFERER="https://evil.example/phish"))
    assert "evil.example" not in page and "Quay lại trang trước" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status", "vietnamese", "english"), [
    ("/test-errors/suspicious/", 400, "Cổng không đọc được yêu cầu này", "The portal could not read this request"),
    ("/test-errors/broken/", 500, "Cổng gặp sự cố", "The portal ran into a problem"),
])
def test_400_and_500_are_portal_pages_in_the_users_language(cast, path, status, vietnamese, english):
    response = _client(cast.users["ag_officer"]).get(path)
    page = _page(response)
    assert response.status_code == status
    assert '<html lang="vi">' in page and vietnamese in page
    assert 'class="topbar"' in page and "/static/css/portal.css" in page and 'href="/"' in page
    response = _client(english=True).get(path)
    assert response.status_code == status and english in _page(response)


def test_500_needs_neither_the_database_nor_the_request():
    """No database fixture: any query would fail the test; rendered as Django's server_error view does."""
    with translation.override("vi"):
        page = get_template("500.html").render()
    assert "Cổng gặp sự cố" in page and "Thử lại" in page and "Về trang chủ" in page


@pytest.mark.django_db
def test_csrf_failure_is_explained(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["ag_officer"])
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in _page(response) and "Không có gì được lưu" in _page(response)
