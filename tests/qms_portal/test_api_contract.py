"""The API's error contract at the edge: anonymous calls get 401 with a challenge, JSON bodies nested too deep
or too large are refused before parsing, and a write lost to a concurrent writer is a 409, never a 500."""

import re

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

PUBLIC = {"/api/v1/auth/token/"}


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        for method in methods:
            if path not in PUBLIC:
                yield method.upper(), re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize(("method", "path"), list(_operations()))
def test_every_operation_asks_an_anonymous_caller_to_authenticate(api, method, path):
    response = api.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401, (method, path, response.status_code)
    assert response["WWW-Authenticate"] == 'Token'
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}


def test_a_session_still_needs_its_csrf_token(cast):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.users["ag_officer"])
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/trainings/", {}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


# --- JSON bodies ------------------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return '{"username": ' + "[" * depth + "]" * depth + ', "password": "x"}'


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_refused_before_parsing_on_the_open_token_endpoint(api, depth):
    response = api.generic("POST", "/api/v1/auth/token/", _nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung JSON lồng nhau quá 32 cấp."}


def test_deeply_nested_json_is_refused_on_every_endpoint(api, cast):
    from qms.models import Training

    body = '{"topic": "ISO", "held_on": "2025-01-01", "attendees": ' + "[" * 50_000 + "1" + "]" * 50_000 + "}"
    response = api.as_user(cast.users["ag_officer"]).generic(
        "POST", f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/trainings/", body,
        content_type="application/json; charset=utf-8", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body is nested more than 32 levels deep."}
    assert not Training.objects.exists()


def test_brackets_inside_strings_do_not_count(api, cast):
    topic = "[" * 40 + '\\"{' * 40
    body = '{"topic": "' + topic + '", "held_on": "2025-01-01", "attendees": 3}'
    response = api.as_user(cast.users["ag_officer"]).generic(
        "POST", f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/trainings/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["topic"] == "[" * 40 + '"{' * 40


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_json_body_is_refused(api):
    body = '{"username": "' + "x" * 2000 + '", "password": "x"}'
    response = api.generic("POST", "/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Nội dung yêu cầu quá lớn; giới hạn là 1000\xa0byte."}


# --- the schema documents these answers ---------------------------------------------------------------------------


def test_the_schema_documents_the_error_answers():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"400", "429"} <= set(token) and "401" not in token
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            if path not in PUBLIC:
                assert {"401", "403"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "409"} <= documented, (method, path)
            for code in documented - {"200", "201", "202", "204"}:
                schema_ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert schema_ref.endswith("/ValidationError" if code == "400" else "/Error"), (method, path, code)
    assert schema["paths"]["/api/v1/agency-reports/"]["post"]["responses"]["404"]["description"]
