"""Agencies in the UI (issue 15): add, edit, move, deactivate, merge, through the services the API calls; bad input
gets a Vietnamese form error and nothing is saved; role x scope matrix of every page."""

import pytest

from agencies.models import Agency, AgencySuccession

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ag_padmin",
         "cb_inspector", "cb_leader", "cb_padmin", "ministry", "admin"]
TARGETS = ("ag_stp", "ag_snv", "cb_stp")
# GET of the edit page / of the deactivate-or-merge page, on ag_stp, ag_snv, cb_stp
EDIT = {
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404), "ag_inspector": (200, 200, 404),
    "ag_leader": (200, 200, 404), "ag_ubnd": (403, 403, 404), "ag_padmin": (200, 200, 404),
    "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200), "cb_padmin": (404, 404, 200),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
CLOSE = {
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404), "ag_inspector": (403, 403, 404),
    "ag_leader": (200, 200, 404), "ag_ubnd": (403, 403, 404), "ag_padmin": (200, 200, 404),
    "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 200), "cb_padmin": (404, 404, 200),
    "ministry": (403, 403, 403), "admin": (200, 200, 200),
}
CREATE = {"ag_officer": 403, "ag_head": 403, "ag_inspector": 200, "ag_leader": 200, "ag_ubnd": 403,
          "ag_padmin": 200, "cb_inspector": 200, "cb_leader": 200, "cb_padmin": 200, "ministry": 403, "admin": 200}


def _cases(table):
    return [(user, target, table[user][i]) for user in USERS for i, target in enumerate(TARGETS)]


@pytest.mark.parametrize(("user", "target", "expected"), _cases(EDIT))
def test_edit_page_matrix(client, padmins, user, target, expected):
    client.force_login(padmins.users[user])
    assert client.get(f"/agencies/{padmins.agencies[target].pk}/edit/").status_code == expected


@pytest.mark.parametrize(("user", "target", "expected"), _cases(CLOSE))
@pytest.mark.parametrize("page", ["deactivate", "merge"])
def test_close_pages_matrix(client, padmins, user, target, expected, page):
    client.force_login(padmins.users[user])
    assert client.get(f"/agencies/{padmins.agencies[target].pk}/{page}/").status_code == expected


@pytest.mark.parametrize(("user", "expected"), CREATE.items())
def test_create_page_matrix(client, padmins, user, expected):
    client.force_login(padmins.users[user])
    assert client.get("/agencies/new/").status_code == expected


def test_posts_outside_scope_or_role_change_nothing(client, padmins):
    stp = padmins.agencies["cb_stp"]
    client.force_login(padmins.users["ag_padmin"])
    assert client.post(f"/agencies/{stp.pk}/edit/", {"name": "X", "short_code": "X", "kind": "so"}).status_code == 404
    assert client.post(f"/agencies/{stp.pk}/deactivate/", {}).status_code == 404
    client.force_login(padmins.users["cb_inspector"])
    assert client.post(f"/agencies/{stp.pk}/deactivate/", {}).status_code == 403
    client.force_login(padmins.users["ag_ubnd"])
    assert client.post("/agencies/new/", {"name": "X", "short_code": "X", "kind": "so"}).status_code == 403
    stp.refresh_from_db()
    assert stp.is_active and stp.name == "Sở Tư pháp"


def _form(**overrides):
    data = {"name": "Trường THCS Mỹ Bình", "short_code": "THCSMB", "kind": "don_vi_su_nghiep", "commune": "30280",
            "parent": "", "address": "", "website": "", "email": "", "phone": ""}
    data.update(overrides)
    return data


def test_the_province_administrator_adds_an_agency(client, padmins):
    client.force_login(padmins.users["ag_padmin"])
    page = client.get("/agencies/").content.decode()
    assert "/agencies/new/" in page
    response = client.post("/agencies/new/", _form(parent=padmins.agencies["ag_skhcn"].pk))
    assert response.status_code == 302
    agency = Agency.objects.get(short_code="THCSMB")
    assert (agency.province, agency.commune, agency.parent) == (
        padmins.provinces["ag"], padmins.communes["ag"], padmins.agencies["ag_skhcn"])
    assert agency.history.get().history_user == padmins.users["ag_padmin"]
    assert "Trường THCS Mỹ Bình" in client.get("/agencies/", {"q": "thcs my binh"}).content.decode()


def test_the_national_administrator_chooses_the_province(client, padmins):
    client.force_login(padmins.users["admin"])
    response = client.post("/agencies/new/", _form(province=padmins.provinces["ag"].pk))
    assert response.status_code == 302
    assert Agency.objects.get(short_code="THCSMB").province == padmins.provinces["ag"]


@pytest.mark.parametrize(("user", "overrides", "message"), [
    ("ag_padmin", {"commune": "1270"}, "Xã, phường, đặc khu không thuộc tỉnh của cơ quan."),
    ("ag_padmin", {"commune": "999999"}, "Không có xã, phường, đặc khu nào có mã này."),
    ("ag_padmin", {"short_code": "STP"}, "Một cơ quan khác của tỉnh đã dùng ký hiệu này."),
    ("ag_padmin", {"short_code": "thcs mb!"}, "chữ in hoa"),
    ("ag_padmin", {"name": ""}, "bắt buộc"),
    ("ag_padmin", {"parent": "CB_STP"}, "lựa chọn hợp lệ"),  # another province's agency is not a choice
    ("admin", {"parent": "CB_STP", "province": "AG"}, "Cơ quan cấp trên thuộc tỉnh khác."),
])
def test_bad_input_is_a_vietnamese_form_error_and_nothing_is_saved(client, padmins, user, overrides, message):
    names = {"CB_STP": padmins.agencies["cb_stp"].pk, "AG": padmins.provinces["ag"].pk}
    overrides = {k: names.get(v, v) for k, v in overrides.items()}
    client.force_login(padmins.users[user])
    before = Agency.objects.count()
    response = client.post("/agencies/new/", _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Agency.objects.count() == before


def test_move_and_cycle(client, padmins):
    ubnd, stp = padmins.agencies["ag_ubnd"], padmins.agencies["ag_stp"]
    client.force_login(padmins.users["ag_padmin"])
    page = client.get(f"/agencies/{stp.pk}/edit/").content.decode()
    assert 'value="STP"' in page and "Phường Long Xuyên" in page  # the province's communes are offered
    # a cycle: UBND under its own child
    response = client.post(f"/agencies/{ubnd.pk}/edit/", _form(name=ubnd.name, short_code="UBND", kind="ubnd_tinh",
                                                               parent=stp.pk, commune=""))
    assert "Chọn cơ quan cấp trên này sẽ tạo vòng lặp trong cây cơ quan." in response.content.decode()
    ubnd.refresh_from_db()
    assert ubnd.parent is None
    # a move: new parent and commune
    response = client.post(f"/agencies/{stp.pk}/edit/", _form(name="Sở Tư pháp", short_code="STP", kind="so",
                                                              parent=padmins.agencies["ag_snv"].pk))
    assert response.status_code == 302
    stp.refresh_from_db()
    assert (stp.parent, stp.commune) == (padmins.agencies["ag_snv"], padmins.communes["ag"])
    page = client.get(f"/agencies/{stp.pk}/").content.decode()
    assert "ag_padmin" in page and "Sở Nội vụ" in page  # the history names who moved it


def test_deactivate_and_merge(client, padmins):
    snv, stp, skhcn = padmins.agencies["ag_snv"], padmins.agencies["ag_stp"], padmins.agencies["ag_skhcn"]
    client.force_login(padmins.users["ag_padmin"])
    response = client.post(f"/agencies/{snv.pk}/deactivate/", {"reason": "Giải thể"})
    assert response.status_code == 302
    snv.refresh_from_db()
    assert not snv.is_active and snv.history.first().history_change_reason == "Giải thể"
    response = client.post(f"/agencies/{stp.pk}/merge/", {"successor": skhcn.pk, "effective_date": "2025-07-01"})
    assert response.status_code == 302
    stp.refresh_from_db()
    assert not stp.is_active
    succession = AgencySuccession.objects.get(predecessor=stp)
    assert (succession.successor, succession.kind) == (skhcn, "merger")
    # an inactive agency is neither a successor nor a parent any more
    response = client.post(f"/agencies/{skhcn.pk}/merge/", {"successor": snv.pk, "effective_date": "2025-07-01"})
    assert response.status_code == 200 and "lựa chọn hợp lệ" in response.content.decode()


def test_the_province_administrator_in_the_agency_api(api, padmins):
    client = api.as_user(padmins.users["ag_padmin"])
    own, other = padmins.agencies["ag_snv"], padmins.agencies["cb_snv"]
    assert client.post("/api/v1/agencies/", {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so",
                                             "province": 91}, format="json").status_code == 201
    assert client.post("/api/v1/agencies/", {"name": "Sở Ngoại vụ", "short_code": "SNGV", "kind": "so",
                                             "province": 4}, format="json").status_code == 403
    assert client.patch(f"/api/v1/agencies/{own.pk}/", {"phone": "0296 3852 000"}, format="json").status_code == 200
    assert client.patch(f"/api/v1/agencies/{other.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert client.post(f"/api/v1/agencies/{own.pk}/obligations/", {"year": 2027, "level": "encouraged"},
                       format="json").status_code == 201
    assert client.delete(f"/api/v1/agencies/{own.pk}/").status_code == 204
    assert client.delete(f"/api/v1/agencies/{other.pk}/").status_code == 404


@pytest.mark.parametrize("user", [u for u in USERS if EDIT[u][0] != 404])
def test_the_detail_page_links_exactly_the_pages_the_user_may_open(client, padmins, user):
    """`agency_actions` decides the links of an agency's page, and agrees with what the pages themselves let in;
    an agency no longer active offers nothing."""
    from agencies.selectors import agency_actions

    agency = padmins.agencies["ag_stp"]
    client.force_login(padmins.users[user])
    page = client.get(f"/agencies/{agency.pk}/").content.decode()
    assert (f'href="/agencies/{agency.pk}/edit/"' in page) == (EDIT[user][0] == 200)
    assert (f'href="/agencies/{agency.pk}/deactivate/"' in page) == (CLOSE[user][0] == 200)
    agency.is_active = False
    assert agency_actions(padmins.users[user], agency) == set()
