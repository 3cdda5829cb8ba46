"""An agency's search text is kept whatever saves it: the service (API), the admin, bulk_create (imports),
bulk_update, queryset.update(); a search without diacritics finds it ("thcs", "my binh")."""

import pytest

from agencies import services
from agencies.models import Agency, AgencyKind
from agencies.selectors import search_agencies

pytestmark = pytest.mark.django_db

NAME = "Trường THCS Mỹ Bình"


def _found(*words) -> set[int]:
    found = set()
    for text in words:
        found.update(search_agencies(Agency.objects.all(), text).values_list("pk", flat=True))
    return found


def _assert_findable(agency: Agency):
    assert agency.pk in _found("thcs") and agency.pk in _found("my binh") and agency.pk in _found("MỸ BÌNH")
    assert Agency.objects.get(pk=agency.pk).search_text == "truong thcs my binh " + agency.short_code.lower()


def test_service(cast):
    agency = services.agency_create(actor=cast.users["admin"], data={
        "name": NAME, "short_code": "THCSMB", "kind": AgencyKind.PUBLIC_SERVICE_UNIT, "province": cast.provinces["ag"]})
    _assert_findable(agency)
    services.agency_update(actor=cast.users["admin"], agency=agency, data={"name": "Trường THCS Mỹ Hòa Hưng"})
    assert agency.pk in _found("my hoa hung") and agency.pk not in _found("my binh")


def test_api(api, cast):
    response = api.as_user(cast.users["ag_leader"]).post("/api/v1/agencies/", {
        "name": NAME, "short_code": "THCSMB", "kind": "don_vi_su_nghiep", "province": 91}, format="json")
    assert response.status_code == 201, response.json()
    _assert_findable(Agency.objects.get(pk=response.json()["id"]))


def test_admin(client, cast):
    client.force_login(cast.users["admin"])
    response = client.post("/admin/agencies/agency/add/", {
        "name": NAME, "short_code": "THCSMB", "kind": "don_vi_su_nghiep", "province": cast.provinces["ag"].pk,
        "is_active": "on", "obligations-TOTAL_FORMS": "0", "obligations-INITIAL_FORMS": "0",
        "obligations-MIN_NUM_FORMS": "0", "obligations-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    agency = Agency.objects.get(short_code="THCSMB")
    _assert_findable(agency)
    response = client.post(f"/admin/agencies/agency/{agency.pk}/change/", {
        "name": "Trường THCS Vĩnh Thạnh", "short_code": "THCSMB", "kind": "don_vi_su_nghiep",
        "province": cast.provinces["ag"].pk, "is_active": "on", "obligations-TOTAL_FORMS": "0",
        "obligations-INITIAL_FORMS": "0", "obligations-MIN_NUM_FORMS": "0", "obligations-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 302
    assert agency.pk in _found("vinh thanh") and agency.pk not in _found("my binh")


def test_bulk_create_as_imports_do(cast):
    rows = Agency.objects.bulk_create([
        Agency(name=NAME, short_code="THCSMB", kind=AgencyKind.PUBLIC_SERVICE_UNIT, province=cast.provinces["ag"]),
        Agency(name="Trường THCS Mỹ Bình", short_code="THCSMB", kind=AgencyKind.PUBLIC_SERVICE_UNIT,
               province=cast.provinces["cb"]),
    ])
    for agency in rows:
        _assert_findable(agency)


def test_bulk_update_and_queryset_update(cast):
    stp, snv = cast.agencies["ag_stp"], cast.agencies["ag_snv"]
    stp.name = NAME
    Agency.objects.bulk_update([stp], ["name"])
    Agency.objects.filter(pk=snv.pk).update(name="Trường THCS Mỹ Bình 2")
    assert {stp.pk, snv.pk} <= _found("thcs my binh")
    assert Agency.objects.get(pk=stp.pk).search_text == "truong thcs my binh stp"


def test_a_search_reads_the_trigram_index_right_after_agencies_are_written(cast):
    """Agencies written in bulk (an import) are in the trigram index at once, not in a pending list that every
    search reads row by row and that makes the planner read the whole table instead (fastupdate off)."""
    from django.db import connection

    province = cast.provinces["ag"]
    written = Agency.objects.bulk_create([
        Agency(name=f"{'Ủy ban nhân dân' if n % 20 == 0 else 'Trường tiểu học'} số {n}", short_code=f"S{n:04d}",
               kind=AgencyKind.PUBLIC_SERVICE_UNIT, province=province) for n in range(4000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agencies_agency")
        sql, params = search_agencies(Agency.objects.all(), "ủy ban").values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "agency_search_trgm_idx" in plan, plan
    committees = {agency.pk for agency in written if agency.name.startswith("Ủy ban")}
    found = _found("ủy ban")
    assert len(committees) == 200 and committees <= found and not (found & {a.pk for a in written} - committees)
