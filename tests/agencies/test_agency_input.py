"""Bad input gets a clear Vietnamese error and nothing is saved; good input is normalised."""

import unicodedata

import pytest
from django.utils.translation import gettext

from agencies.models import Agency

pytestmark = pytest.mark.django_db


def _create(api, cast, **overrides):
    payload = {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so", "province": 91}
    payload.update(overrides)
    return api.as_user(cast.users["ag_inspector"]).post("/api/v1/agencies/", payload, format="json")


def _errors(response, field):
    body = response.json()
    assert field in body, body
    return " ".join(body[field])


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"province": 99}, "province", "Không có đơn vị nào có mã 99"),
    ({"commune": 123456}, "commune", "Không có đơn vị nào có mã 123456"),
    ({"name": ""}, "name", "không được để trống"),
    ({"name": "x" * 256}, "name", "không quá 255 ký tự"),
    ({"name": "Sở\x00 Ngoại vụ"}, "name", "ký tự điều khiển"),
    ({"name": "Sở\x1b[31m"}, "name", "ký tự điều khiển"),
    ({"short_code": "sngv!"}, "short_code", "chữ in hoa"),
    ({"kind": "castle"}, "kind", "không phải là một lựa chọn hợp lệ"),
    ({"website": "javascript:alert(1)"}, "website", "URL"),
])
def test_bad_input_is_refused_in_vietnamese(api, cast, overrides, field, message):
    before = Agency.objects.count()
    response = _create(api, cast, **overrides)
    assert response.status_code == 400
    assert message in _errors(response, field)
    assert Agency.objects.count() == before


def test_english_when_asked(api, cast):
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = _create(api, cast, province=99)
    assert "No unit with code 99 exists." in _errors(response, "province")


def test_commune_of_another_province(api, cast):
    response = _create(api, cast, commune=cast.communes["cb"].code)
    assert response.status_code == 400
    assert "không thuộc tỉnh" in _errors(response, "commune")
    assert not Agency.objects.filter(short_code="SNGV").exists()


def test_parent_in_another_province(api, cast):
    """The province's inspector cannot see Cao Bằng's agencies: the id looks missing (no oracle). The administrator
    sees both provinces and is told why."""
    response = _create(api, cast, parent=cast.agencies["cb_ubnd"].pk)
    assert response.status_code == 400
    assert "không tồn tại" in _errors(response, "parent")
    payload = {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so", "province": 91,
               "parent": cast.agencies["cb_ubnd"].pk}
    response = api.as_user(cast.users["admin"]).post("/api/v1/agencies/", payload, format="json")
    assert response.status_code == 400
    assert "thuộc tỉnh khác" in _errors(response, "parent")


def test_duplicate_short_code_in_province(api, cast):
    response = _create(api, cast, short_code="stp")  # lower case is upper-cased, then clashes with STP
    assert response.status_code == 400
    assert "đã dùng ký hiệu này" in _errors(response, "short_code")


def test_same_short_code_in_another_province_is_fine(api, cast):
    response = api.as_user(cast.users["admin"]).post(
        "/api/v1/agencies/", {"name": "Sở Ngoại vụ", "short_code": "STP", "kind": "so", "province": 91}, format="json")
    assert response.status_code == 400  # STP exists in An Giang
    assert response.json() == {
        "short_code": [gettext("Another agency of this province already uses this short code.")]}
    response = api.as_user(cast.users["admin"]).post(
        "/api/v1/agencies/", {"name": "Sở Mới", "short_code": "SMOI", "kind": "so", "province": 4}, format="json")
    assert response.status_code == 201


def test_cycle_in_agency_tree(api, cast):
    ubnd, skhcn = cast.agencies["ag_ubnd"], cast.agencies["ag_skhcn"]
    response = api.as_user(cast.users["ag_inspector"]).patch(
        f"/api/v1/agencies/{ubnd.pk}/", {"parent": skhcn.pk}, format="json")
    assert response.status_code == 400
    assert "vòng lặp" in _errors(response, "parent")
    ubnd.refresh_from_db()
    assert ubnd.parent_id is None


def test_own_parent_is_a_cycle(api, cast):
    skhcn = cast.agencies["ag_skhcn"]
    response = api.as_user(cast.users["ag_inspector"]).patch(
        f"/api/v1/agencies/{skhcn.pk}/", {"parent": skhcn.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"parent": [gettext("This parent would create a cycle in the agency tree.")]}


def test_nfd_text_is_stored_as_nfc(api, cast):
    nfd = unicodedata.normalize("NFD", "Sở Ngoại vụ tỉnh An Giang")
    assert nfd != unicodedata.normalize("NFC", nfd)
    response = _create(api, cast, name=nfd)
    assert response.status_code == 201
    agency = Agency.objects.get(pk=response.json()["id"])
    assert agency.name == unicodedata.normalize("NFC", nfd)
    assert agency.search_text == "so ngoai vu tinh an giang sngv"


def test_update_of_province_is_ignored(api, cast):
    stp = cast.agencies["ag_stp"]
    response = api.as_user(cast.users["admin"]).patch(f"/api/v1/agencies/{stp.pk}/", {"province": 4}, format="json")
    assert response.status_code == 200
    stp.refresh_from_db()
    assert stp.province.code == 91


def test_obligation_bad_year_and_level(api, cast):
    stp = cast.agencies["ag_stp"]
    client = api.as_user(cast.users["ag_inspector"])
    response = client.post(f"/api/v1/agencies/{stp.pk}/obligations/", {"year": 1999, "level": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "level"}
    assert not stp.obligations.filter(year=1999).exists()


def test_obligation_is_upserted_per_year(api, cast):
    stp = cast.agencies["ag_stp"]
    client = api.as_user(cast.users["ag_inspector"])
    for level in ("encouraged", "mandatory"):
        assert client.post(f"/api/v1/agencies/{stp.pk}/obligations/", {"year": 2027, "level": level},
                           format="json").status_code == 201
    assert list(stp.obligations.filter(year=2027).values_list("level", flat=True)) == ["mandatory"]
