"""What a signed-in user is shown is neither kept by a shared cache nor stored by the browser
(qms_portal.middleware.PrivateResponsesMiddleware), whether signed in by a session or by an API token; what anyone
may read is left to its view."""

import pytest
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/findings/", "/agencies/", "/api/v1/agencies/", "/api/v1/me/"])
def test_a_signed_in_users_pages_and_api_answers_are_private(client, cast, url):
    client.force_login(cast.users["ag_inspector"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_api_token_answer_is_private(client, cast):
    _token, key = AuthToken.objects.create(user=cast.users["ag_inspector"])
    response = client.get("/api/v1/agencies/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_says_how_to_cache_is_left_as_it_said(client):
    response = client.get("/accounts/login/")  # never_cache
    assert "max-age=0" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]


def test_an_anonymous_answer_is_left_alone(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and not response.has_header("Cache-Control")
