"""The admin is one more entry point: it runs the services' checks on what it edits (an agency's tree and short code,
a membership's unit, a province's lead and inspecting units) and only shows what carries a rule of its own (closing
an agency, successions, obligations)."""

import datetime
import unicodedata

import pytest

from agencies.models import Agency, AgencyObligation, AgencySuccession, Membership, ProvinceSettings, Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

NO_OBLIGATION_FORMS = {"obligations-TOTAL_FORMS": "0", "obligations-INITIAL_FORMS": "0",
                       "obligations-MIN_NUM_FORMS": "0", "obligations-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.users["admin"])
    return client


def _agency_form(cast, **fields):
    return {"name": "Trường THPT Long Xuyên", "short_code": "thptlx", "kind": "don_vi_su_nghiep",
            "province": cast.provinces["ag"].pk, **NO_OBLIGATION_FORMS, **fields}


def _errors(response) -> str:
    assert response.status_code == 200  # the form again, with its errors
    return str(response.context["adminform"].form.errors)


def test_a_new_agency_is_normalised_as_by_the_portal(admin_client, cast):
    name = unicodedata.normalize("NFD", " Trường THPT Long Xuyên ")
    response = admin_client.post("/admin/agencies/agency/add/", _agency_form(cast, name=name))
    assert response.status_code == 302
    agency = Agency.objects.get(short_code="THPTLX")
    assert agency.name == "Trường THPT Long Xuyên" and agency.is_active


@pytest.mark.parametrize("fields, message", [  # in Vietnamese, the default language
    ({"parent": "ag_stp"}, "Cơ quan cấp trên thuộc tỉnh khác."),
    ({"short_code": "stp"}, "Một cơ quan khác của tỉnh đã dùng ký hiệu này."),
    ({"name": "Trường\u200bTHPT"}, "ký tự"),  # an invisible character
])
def test_the_admin_refuses_what_the_services_refuse(admin_client, cast, fields, message):
    if "parent" in fields:
        fields = {"parent": cast.agencies[fields["parent"]].pk, "province": cast.provinces["cb"].pk}
    before = Agency.objects.count()
    response = admin_client.post("/admin/agencies/agency/add/", _agency_form(cast, **fields))
    assert message in _errors(response)
    assert Agency.objects.count() == before


def test_a_cycle_in_the_tree_is_refused(admin_client, cast):
    ubnd, skhcn = cast.agencies["ag_ubnd"], cast.agencies["ag_skhcn"]
    response = admin_client.post(f"/admin/agencies/agency/{ubnd.pk}/change/", _agency_form(
        cast, name=ubnd.name, short_code=ubnd.short_code, kind=ubnd.kind, parent=skhcn.pk))
    assert "parent" in response.context["adminform"].form.errors
    ubnd.refresh_from_db()
    assert ubnd.parent_id is None


def test_an_agency_is_neither_closed_nor_moved_to_another_province_by_the_admin(admin_client, cast):
    stp = cast.agencies["ag_stp"]
    response = admin_client.post(f"/admin/agencies/agency/{stp.pk}/change/", _agency_form(
        cast, name="Sở Tư pháp tỉnh An Giang", short_code="STP", kind=stp.kind, parent=stp.parent_id,
        province=cast.provinces["cb"].pk, closed_on="2026-01-01"))  # "is_active" left out: unticked
    assert response.status_code == 302
    stp.refresh_from_db()
    assert stp.name == "Sở Tư pháp tỉnh An Giang"
    assert (stp.is_active, stp.closed_on, stp.province_id) == (True, None, cast.provinces["ag"].pk)


def test_obligations_are_shown_not_written(admin_client, cast):
    stp = cast.agencies["ag_stp"]
    page = admin_client.get(f"/admin/agencies/agency/{stp.pk}/change/")
    assert page.status_code == 200 and "2026" in page.content.decode()
    before = list(AgencyObligation.objects.filter(agency=stp).values_list("year", "level"))
    response = admin_client.post(f"/admin/agencies/agency/{stp.pk}/change/", {
        **_agency_form(cast, name=stp.name, short_code="STP", kind=stp.kind, parent=stp.parent_id, is_active="on"),
        "obligations-TOTAL_FORMS": "1", "obligations-0-year": "2027", "obligations-0-level": "mandatory"})
    assert response.status_code == 302
    assert list(AgencyObligation.objects.filter(agency=stp).values_list("year", "level")) == before


def test_successions_are_shown_only(admin_client, cast):
    succession = AgencySuccession.objects.create(
        predecessor=cast.agencies["ag_snv"], successor=cast.agencies["ag_stp"], kind="merger",
        effective_date=datetime.date(2026, 3, 1))
    assert admin_client.get("/admin/agencies/agencysuccession/").status_code == 200
    assert admin_client.get("/admin/agencies/agencysuccession/add/").status_code == 403
    response = admin_client.post("/admin/agencies/agencysuccession/add/", {
        "predecessor": cast.agencies["ag_stp"].pk, "successor": cast.agencies["cb_stp"].pk, "kind": "merger",
        "effective_date": "2026-03-01"})
    assert response.status_code == 403
    response = admin_client.post(f"/admin/agencies/agencysuccession/{succession.pk}/change/", {
        "predecessor": cast.agencies["ag_snv"].pk, "successor": cast.agencies["cb_stp"].pk, "kind": "merger",
        "effective_date": "2026-03-01"})
    assert response.status_code == 403
    assert AgencySuccession.objects.get().successor == cast.agencies["ag_stp"]


def test_a_membership_takes_the_unit_of_its_role(admin_client, cast):
    user = UserFactory(username="newcomer")
    response = admin_client.post("/admin/agencies/membership/add/", {
        "user": user.pk, "role": Role.ISO_OFFICER, "agency": cast.agencies["ag_stp"].pk,
        "province": cast.provinces["cb"].pk})  # another province: the agency's is taken
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.province) == (cast.agencies["ag_stp"], cast.provinces["ag"])


def test_a_membership_without_its_unit_is_refused(admin_client, cast):
    user = UserFactory(username="newcomer")
    response = admin_client.post("/admin/agencies/membership/add/", {"user": user.pk, "role": Role.INSPECTOR})
    assert "province" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("agency", ["cb_skhcn", "closed"])
def test_a_province_is_led_and_inspected_by_its_own_active_agencies(admin_client, cast, agency):
    if agency == "closed":
        lead = AgencyFactory(name="Sở Khoa học và Công nghệ (cũ)", short_code="SKHCNCU", province=cast.provinces["ag"],
                             is_active=False, closed_on=datetime.date(2025, 3, 1))
    else:
        lead = cast.agencies[agency]
    form = {"province": cast.provinces["ag"].pk, "lead_agency": lead.pk,
            "inspecting_agency": cast.agencies["ag_skhcn"].pk}
    response = admin_client.post("/admin/agencies/provincesettings/add/", form)
    assert "lead_agency" in response.context["adminform"].form.errors
    assert not ProvinceSettings.objects.exists()
    form["lead_agency"] = cast.agencies["ag_skhcn"].pk
    assert admin_client.post("/admin/agencies/provincesettings/add/", form).status_code == 302
    assert ProvinceSettings.objects.get().lead_agency == cast.agencies["ag_skhcn"]
