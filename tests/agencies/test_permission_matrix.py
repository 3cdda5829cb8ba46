"""Role x (own agency / other agency of the province / other province) x action, for every agency endpoint.

404 outside your scope, 403 inside it with too low a role, 2xx when allowed. The expected codes are
written out by hand, one row per user, so a change of rule shows up as a diff here.
"""

import pytest

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd",
         "cb_officer", "cb_inspector", "cb_leader", "ministry", "admin"]

# Targets: "own" = ag_stp (the agency of ag_officer/ag_head), "same" = ag_snv (another An Giang agency),
# "other" = cb_stp (Cao Bằng).
READ = {  # GET /agencies/{id}/, GET /agencies/{id}/history/ and /obligations/
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (200, 200, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (200, 200, 200), "admin": (200, 200, 200),
}
UPDATE = {  # PATCH /agencies/{id}/ and POST /agencies/{id}/obligations/
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
DELETE = {  # DELETE /agencies/{id}/ (deactivates)
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404),
    "ag_inspector": (403, 403, 404), "ag_leader": (204, 204, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 204),
    "ministry": (403, 403, 403), "admin": (204, 204, 204),
}
# POST /agencies/ in An Giang / in Cao Bằng
CREATE = {
    "ag_officer": (403, 403), "ag_head": (403, 403), "ag_inspector": (201, 403), "ag_leader": (201, 403),
    "ag_ubnd": (403, 403), "cb_officer": (403, 403), "cb_inspector": (403, 201), "cb_leader": (403, 201),
    "ministry": (403, 403), "admin": (201, 201),
}
# What GET /agencies/ lists, as cast keys
LIST = {
    "ag_officer": {"ag_stp"}, "ag_head": {"ag_stp"},
    "ag_inspector": {"ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"},
    "ag_ubnd": {"ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"},
    "cb_officer": {"cb_stp"}, "cb_leader": {"cb_ubnd", "cb_skhcn", "cb_stp", "cb_snv"},
    "ministry": {"ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv", "cb_ubnd", "cb_skhcn", "cb_stp", "cb_snv"},
    "nobody": set(),
}
TARGETS = ("ag_stp", "ag_snv", "cb_stp")


def _cases(table):
    return [(user, target, table[user][i]) for user in USERS for i, target in enumerate(TARGETS)]


@pytest.mark.parametrize(("user", "target", "expected"), _cases(READ))
@pytest.mark.parametrize("suffix", ["", "history/", "obligations/"])
def test_read(api, cast, user, target, expected, suffix):
    response = api.as_user(cast.users[user]).get(f"/api/v1/agencies/{cast.agencies[target].pk}/{suffix}")
    assert response.status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(UPDATE))
def test_update(api, cast, user, target, expected):
    agency = cast.agencies[target]
    response = api.as_user(cast.users[user]).patch(f"/api/v1/agencies/{agency.pk}/",
                                                   {"address": "Số 1 Lê Lợi"}, format="json")
    assert response.status_code == expected
    agency.refresh_from_db()
    assert (agency.address == "Số 1 Lê Lợi") == (expected == 200)


@pytest.mark.parametrize(("user", "target", "expected"), _cases(UPDATE))
def test_set_obligation(api, cast, user, target, expected):
    agency = cast.agencies[target]
    response = api.as_user(cast.users[user]).post(f"/api/v1/agencies/{agency.pk}/obligations/",
                                                  {"year": 2027, "level": "encouraged"}, format="json")
    assert response.status_code == (201 if expected == 200 else expected)
    assert agency.obligations.filter(year=2027).exists() == (expected == 200)


@pytest.mark.parametrize(("user", "target", "expected"), _cases(DELETE))
def test_delete_deactivates(api, cast, user, target, expected):
    agency = cast.agencies[target]
    response = api.as_user(cast.users[user]).delete(f"/api/v1/agencies/{agency.pk}/")
    assert response.status_code == expected
    agency.refresh_from_db()
    assert agency.is_active == (expected != 204)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("province", "column"), [("ag", 0), ("cb", 1)])
def test_create(api, cast, user, province, column):
    expected = CREATE[user][column]
    payload = {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so",
               "province": cast.provinces[province].code}
    response = api.as_user(cast.users[user]).post("/api/v1/agencies/", payload, format="json")
    assert response.status_code == expected, response.content
    assert cast.provinces[province].agencies.filter(short_code="SNGV").exists() == (expected == 201)


@pytest.mark.parametrize(("user", "visible"), LIST.items())
def test_list_is_scoped(api, cast, user, visible):
    response = api.as_user(cast.users[user]).get("/api/v1/agencies/?page_size=100")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {cast.agencies[k].pk for k in visible}


@pytest.mark.parametrize("path", ["/api/v1/agencies/", "/api/v1/me/", "/api/v1/provinces/"])
def test_anonymous_is_refused(api, cast, path):
    assert api.get(path).status_code in (401, 403)


@pytest.mark.parametrize(("user", "target", "expected"), _cases(READ))
def test_agency_page(client, cast, user, target, expected):
    client.force_login(cast.users[user])
    assert client.get(f"/agencies/{cast.agencies[target].pk}/").status_code == expected
