import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import AgencyKind
from tests.factories import AgencyFactory, ObligationFactory
from tests.support.html import foreign_urls

pytestmark = pytest.mark.django_db


def _names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize("query", ["so khoa hoc", "SỞ KHOA HỌC", "Sở Khoa học", "khoa  HOC so", "skhcn"])
def test_search_ignores_case_and_diacritics(api, cast, query):
    names = _names(api.as_user(cast.users["ag_inspector"]).get("/api/v1/agencies/", {"q": query}))
    assert names == {"Sở Khoa học và Công nghệ"}


def test_search_finds_d_with_stroke(api, cast):
    AgencyFactory(name="Trường THPT Đức Trọng", short_code="THPTDT", province=cast.provinces["ag"])
    assert _names(api.as_user(cast.users["ag_inspector"]).get("/api/v1/agencies/", {"q": "duc trong"})) == {
        "Trường THPT Đức Trọng"}


def test_filters(api, cast):
    client = api.as_user(cast.users["ministry"])
    names = _names(client.get("/api/v1/agencies/", {"province": 4, "kind": "ubnd_tinh"}))
    assert names == {"Ủy ban nhân dân tỉnh Cao Bằng"}
    parent = cast.agencies["ag_ubnd"].pk
    assert _names(client.get("/api/v1/agencies/", {"parent": parent})) == {
        "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Nội vụ"}
    ObligationFactory(agency=AgencyFactory(name="Trường THPT A", short_code="THPTA", province=cast.provinces["ag"],
                                           kind=AgencyKind.PUBLIC_SERVICE_UNIT), year=2026, level="encouraged")
    assert _names(client.get("/api/v1/agencies/", {"obligation": "encouraged"})) == {"Trường THPT A"}


def test_bad_filter_value_is_a_clear_400(api, cast):
    response = api.as_user(cast.users["ministry"]).get("/api/v1/agencies/", {"kind": "castle"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_agency_payload(api, cast):
    stp = cast.agencies["ag_stp"]
    data = api.as_user(cast.users["ag_officer"]).get(f"/api/v1/agencies/{stp.pk}/").json()
    assert data["short_code"] == "STP"
    assert data["province"]["code"] == 91
    assert data["parent"]["short_code"] == "UBND"
    assert data["obligation"] in ("mandatory", None)


def test_list_query_count_does_not_grow(api, cast, django_assert_max_num_queries):
    client = api.as_user(cast.users["ministry"])

    def count(page_size):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/agencies/", {"page_size": page_size}).status_code == 200
        return len(ctx.captured_queries)

    count(2)  # warm up: the first request also reads the membership
    small = count(2)
    for _i in range(40):
        ObligationFactory(agency=AgencyFactory(province=cast.provinces["ag"]), year=2026)
    assert count(100) == small


def test_history_records_who_and_what(api, cast):
    stp = cast.agencies["ag_stp"]
    client = api.as_user(cast.users["ag_inspector"])
    client.patch(f"/api/v1/agencies/{stp.pk}/", {"address": "15 Lê Triệu Kiết"}, format="json")
    client.post(f"/api/v1/agencies/{stp.pk}/obligations/", {"year": 2027, "level": "encouraged"}, format="json")
    history = client.get(f"/api/v1/agencies/{stp.pk}/history/").json()
    change = next(h for h in history if h["object"] == "agency" and h["type"] == "changed")
    assert change["user"] == "ag_inspector"
    address = next(c for c in change["changes"] if c["field"] == "address")
    assert (address["old"], address["new"], address["label"]) == ("", "15 Lê Triệu Kiết", "địa chỉ")
    obligation = next(h for h in history if h["object"] == "agencyobligation")
    assert obligation["type"] == "created" and obligation["user"] == "ag_inspector"


def test_membership_change_is_recorded(cast):
    from agencies.models import Membership, Role
    from agencies.services import membership_set

    user = cast.users["ag_officer"]
    membership_set(actor=cast.users["admin"], user=user, role=Role.AGENCY_HEAD, agency=cast.agencies["ag_stp"])
    record = Membership.history.filter(user_id=user.pk).latest("history_date")
    assert record.role == Role.AGENCY_HEAD and record.history_user == cast.users["admin"]


def test_provinces_and_me(api, cast):
    client = api.as_user(cast.users["ag_officer"])
    provinces = client.get("/api/v1/provinces/").json()
    assert [p["code"] for p in provinces] == [4, 91]
    me = client.get("/api/v1/me/").json()
    assert me["role"] == "iso_officer" and me["agency"]["short_code"] == "STP" and me["province"]["code"] == 91


def test_token_login(api, cast):
    response = api.post("/api/v1/auth/token/", {"username": "ag_officer", "password": "correct-horse-battery"})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "ag_officer"
    assert api.get(f"/api/v1/agencies/{cast.agencies['cb_stp'].pk}/").status_code == 404


def test_token_login_wrong_password_in_vietnamese(api, cast):
    response = api.post("/api/v1/auth/token/", {"username": "ag_officer", "password": "nope"})
    assert response.status_code == 400
    assert "Không thể đăng nhập" in str(response.json())


def test_token_login_is_throttled(api, cast):
    codes = [api.post("/api/v1/auth/token/", {"username": "ag_officer", "password": "nope"}).status_code
             for _ in range(12)]
    assert codes[0] == 400 and codes[-1] == 429


def test_session_api_needs_csrf(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["ag_inspector"])
    response = client.patch(f"/api/v1/agencies/{cast.agencies['ag_stp'].pk}/", {"address": "x"},
                            content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_schema_and_docs(api, cast):
    client = api.as_user(cast.users["ag_officer"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/agencies/{id}/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert not foreign_urls(docs.content.decode())  # Swagger UI is self-hosted (drf-spectacular-sidecar)
