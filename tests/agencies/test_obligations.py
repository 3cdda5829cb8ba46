"""Yearly obligations (issue 15): set singly and in bulk, proposed from the previous year (beat task of 1 December
or on demand), reviewed and confirmed; a plan's coverage check refuses a year not confirmed; never for an inactive
agency."""

from datetime import date
from html import escape

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from agencies import services
from agencies.models import AgencyKind, AgencyObligation, ObligationYear, ObligationYearState
from agencies.tasks import obligations_propose_next_year
from qms_portal.models import AuditEvent
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _level(agency, year):
    return AgencyObligation.objects.filter(agency=agency, year=year).values_list("level", flat=True).first()


def test_no_obligation_for_an_inactive_agency(api, padmins):
    snv = padmins.agencies["ag_snv"]
    services.agency_deactivate(actor=padmins.users["admin"], agency=snv)
    with pytest.raises(Exception, match="không hoạt động"):
        services.obligation_set(actor=padmins.users["ag_padmin"], agency=snv, year=2027, level="mandatory")
    response = api.as_user(padmins.users["ag_inspector"]).post(
        f"/api/v1/agencies/{snv.pk}/obligations/", {"year": 2027, "level": "mandatory"}, format="json")
    assert response.status_code == 400 and "không hoạt động" in str(response.json())
    assert _level(snv, 2027) is None


def _schools(padmins):
    sgd = AgencyFactory(name="Sở Giáo dục và Đào tạo", short_code="SGDDT", province=padmins.provinces["ag"])
    schools = [AgencyFactory(name=f"Trường THCS {n}", short_code=f"THCS{n}", kind=AgencyKind.PUBLIC_SERVICE_UNIT,
                             province=padmins.provinces["ag"], parent=sgd,
                             commune=padmins.communes["ag"] if n < 2 else None) for n in range(3)]
    return sgd, schools


def test_bulk_by_kind_commune_and_parent(client, padmins):
    sgd, schools = _schools(padmins)
    client.force_login(padmins.users["ag_padmin"])
    url = "/obligations/2025/bulk/"
    response = client.post(url, {"bulk-kind": "don_vi_su_nghiep", "bulk-level": "mandatory",
                                 "bulk-note": "Quyết định 1234/QĐ-UBND"})
    assert response.status_code == 302
    assert [_level(s, 2025) for s in schools] == ["mandatory"] * 3 and _level(sgd, 2025) is None
    obligation = AgencyObligation.objects.get(agency=schools[0], year=2025)
    assert obligation.note == "Quyết định 1234/QĐ-UBND"
    assert obligation.history.first().history_user == padmins.users["ag_padmin"]
    client.post(url, {"bulk-commune": padmins.communes["ag"].pk, "bulk-level": "encouraged"})
    assert [_level(s, 2025) for s in schools] == ["encouraged", "encouraged", "mandatory"]
    client.post(url, {"bulk-parent": sgd.pk, "bulk-level": "not_applicable"})
    assert [_level(s, 2025) for s in schools] == ["not_applicable"] * 3
    page = client.post(url, {"bulk-level": "mandatory"}).content.decode()
    assert "Hãy chọn loại cơ quan, xã hoặc cơ quan cấp trên." in page
    assert [_level(s, 2025) for s in schools] == ["not_applicable"] * 3


def test_single_edit_and_inactive_refused_on_the_page(client, padmins):
    stp, snv = padmins.agencies["ag_stp"], padmins.agencies["ag_snv"]
    client.force_login(padmins.users["ag_padmin"])
    response = client.post("/obligations/2026/set/", {"one-agency": stp.pk, "one-level": "encouraged",
                                                  "one-note": "Điều 2"})
    assert response.status_code == 302 and _level(stp, 2026) == "encouraged"
    services.agency_deactivate(actor=padmins.users["admin"], agency=snv)
    response = client.post("/obligations/2026/set/", {"one-agency": snv.pk, "one-level": "encouraged"})
    assert response.status_code == 200 and _level(snv, 2026) == "mandatory"  # not a choice any more


def test_propose_review_and_confirm(client, padmins):
    ag, stp, snv = padmins.provinces["ag"], padmins.agencies["ag_stp"], padmins.agencies["ag_snv"]
    new_school = AgencyFactory(name="Trường THCS Mỹ Bình", short_code="THCSMB", kind=AgencyKind.PUBLIC_SERVICE_UNIT,
                               province=ag)
    services.agency_deactivate(actor=padmins.users["admin"], agency=snv)
    client.force_login(padmins.users["ag_padmin"])
    assert client.post("/obligations/2027/propose/", {}).status_code == 302
    row = ObligationYear.objects.get(province=ag, year=2027)
    assert (row.state, row.proposed_by) == (ObligationYearState.PROPOSED, padmins.users["ag_padmin"])
    assert _level(stp, 2027) == "mandatory" and _level(snv, 2027) is None and _level(new_school, 2027) is None
    assert AgencyObligation.objects.get(agency=stp, year=2027).history.first().history_change_reason == \
        "Đề xuất từ năm 2026"
    assert AuditEvent.objects.filter(object_type="agencies.obligationyear", user=padmins.users["ag_padmin"]).exists()
    page = client.get("/obligations/2027/").content.decode()
    assert "Trường THCS Mỹ Bình" in page.split("Chưa quyết định")[1].split("</ul>")[0]  # still to decide
    assert "Sở Nội vụ" in page.split("Không còn hoạt động")[1].split("</ul>")[0]  # dropped
    # confirming with an agency still undecided is refused, nothing changes
    page = client.post("/obligations/2027/confirm/", {}).content.decode()
    assert "1 cơ quan chưa có nghĩa vụ năm 2027: Trường THCS Mỹ Bình." in page
    assert ObligationYear.objects.get(pk=row.pk).state == ObligationYearState.PROPOSED
    client.post("/obligations/2027/set/", {"one-agency": new_school.pk, "one-level": "mandatory"})
    page = client.get("/obligations/2027/").content.decode()
    assert "Trường THCS Mỹ Bình" in page.split("Mới trong năm")[1].split("</ul>")[0]
    assert client.post("/obligations/2027/confirm/", {}).status_code == 302
    row.refresh_from_db()
    assert (row.state, row.confirmed_by) == (ObligationYearState.CONFIRMED, padmins.users["ag_padmin"])
    assert row.confirmed_at is not None
    # a confirmed year is not proposed again
    page = client.post("/obligations/2027/propose/", {}).content.decode()
    assert "Nghĩa vụ năm 2027 đã được xác nhận." in page


def test_beat_task_on_1_december_proposes_next_year(padmins):
    from importlib import import_module

    from django.apps import apps

    # The row is made by the migration; a transactional test elsewhere may have flushed it: make it again (once).
    import_module("agencies.migrations.0009_obligation_year").schedule_create(apps, None)
    task = PeriodicTask.objects.get(task="agencies.obligations_propose_next_year")
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("1", "12")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
    result = services.obligations_propose_next_year(today=date(2026, 12, 1))
    assert result == {"year": 2027, "provinces": 2}
    assert ObligationYear.objects.filter(year=2027, state=ObligationYearState.PROPOSED).count() == 2
    assert _level(padmins.agencies["cb_stp"], 2027) == "mandatory"
    assert services.obligations_propose_next_year(today=date(2026, 12, 1))["provinces"] == 0  # once
    assert obligations_propose_next_year.name == "agencies.obligations_propose_next_year"


def test_plan_coverage_refuses_a_year_not_confirmed(client, padmins):
    from audits import services as audits
    from tests.audits.conftest import setup_province

    setup_province(padmins, "ag")  # the inspecting unit
    inspector, padmin = padmins.users["ag_inspector"], padmins.users["ag_padmin"]
    plan = audits.plan_create(actor=inspector, year=2027, province=padmins.provinces["ag"])
    audits.plan_entry_add(actor=inspector, plan=plan, agency=padmins.agencies["ag_stp"], data={
        "form": "on_site", "expected_from": date(2027, 3, 9), "expected_to": date(2027, 3, 13), "budget_vnd": 0})
    with pytest.raises(Exception, match="Chưa xác định cơ quan bắt buộc năm 2027"):
        audits.plan_submit(actor=inspector, plan=plan, today=date(2026, 12, 20))
    client.force_login(inspector)
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "Chưa xác định cơ quan bắt buộc năm 2027" in page and "0/0" not in page
    services.obligations_propose(actor=padmin, province=padmins.provinces["ag"], year=2027)
    services.obligation_set(actor=padmin, agency=padmins.agencies["ag_cctdc"], year=2027, level="not_applicable")
    services.obligations_confirm(actor=padmin, province=padmins.provinces["ag"], year=2027)
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "Chưa xác định cơ quan bắt buộc" not in page and "1/4" in page


USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ag_padmin", "cb_padmin", "ministry",
         "admin", "nobody"]
# GET the page / POST set (ag_stp) / POST confirm, all on An Giang's 2026 (national roles choose An Giang)
MATRIX = {
    "ag_officer": (403, 403, 403), "ag_head": (403, 403, 403),
    "ag_inspector": (200, 403, 403),  # 2026 is confirmed: changed only by those who confirm (the test below)
    "ag_leader": (200, 302, 302), "ag_ubnd": (200, 403, 403), "ag_padmin": (200, 302, 302),
    "cb_padmin": (200, 200, 302),  # its own province's page: An Giang's agency is not a choice there
    "ministry": (200, 403, 403), "admin": (200, 302, 302), "nobody": (403, 403, 403),
}


@pytest.mark.parametrize(("user", "expected"), MATRIX.items())
def test_page_permission_matrix(client, padmins, user, expected):
    client.force_login(padmins.users[user])
    query = f"?province={padmins.provinces['ag'].pk}"
    stp = padmins.agencies["ag_stp"]
    got = (client.get(f"/obligations/2026/{query}").status_code,
           client.post(f"/obligations/2026/set/{query}", {"one-agency": stp.pk, "one-level": "encouraged"}).status_code,
           client.post(f"/obligations/2026/confirm/{query}").status_code)
    assert got == expected
    assert _level(stp, 2026) == ("encouraged" if expected[1] == 302 else "mandatory")
    menu = client.get("/").content.decode()
    assert ('href="/obligations/"' in menu) == (expected[0] == 200)


def test_a_province_role_never_sees_another_province(client, padmins):
    client.force_login(padmins.users["cb_padmin"])
    page = client.get(f"/obligations/2026/?province={padmins.provinces['ag'].pk}").content.decode()
    assert "Cao Bằng" in page and "An Giang" not in page
    client.force_login(padmins.users["admin"])
    assert client.get("/obligations/2026/?province=999999").status_code == 404


def test_a_confirmed_year_is_changed_only_by_those_who_confirm_it(client, api, padmins):
    """The confirmed list is what the inspection plans are checked against: the inspector, who may set a year's
    obligations while it is being decided, could otherwise lift the obligation of an agency their plan leaves out.
    The page, the API, the bulk form and the service refuse alike; the leader still records a change mid-year."""
    ag, stp = padmins.provinces["ag"], padmins.agencies["ag_stp"]
    inspector, leader = padmins.users["ag_inspector"], padmins.users["ag_leader"]
    services.obligation_set(actor=inspector, agency=stp, year=2027, level="mandatory")  # while being decided: yes
    ObligationYear.objects.create(province=ag, year=2027, state=ObligationYearState.CONFIRMED, confirmed_by=leader,
                                  confirmed_at=timezone.now())
    locked = ("Nghĩa vụ áp dụng năm 2027 đã được xác nhận: từ nay chỉ Lãnh đạo Sở KH&CN hoặc Quản trị viên cấp "
              "tỉnh được thay đổi.")

    with pytest.raises(PermissionDenied) as refused:
        services.obligation_set(actor=inspector, agency=stp, year=2027, level="not_applicable")
    assert str(refused.value) == locked
    with pytest.raises(PermissionDenied):
        services.obligations_set_bulk(actor=inspector, province=ag, year=2027, agencies=[stp], level="encouraged")
    response = api.as_user(inspector).post(f"/api/v1/agencies/{stp.pk}/obligations/",
                                           {"year": 2027, "level": "not_applicable"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == locked
    client.force_login(inspector)
    page = client.get("/obligations/2027/").content.decode()
    assert escape(locked) in page and 'name="one-level"' not in page and "/obligations/2027/bulk/" not in page
    assert client.post("/obligations/2027/set/", {"one-agency": stp.pk, "one-level": "not_applicable"}
                       ).status_code == 403
    assert _level(stp, 2027) == "mandatory"

    services.obligation_set(actor=leader, agency=stp, year=2027, level="encouraged", note="Sáp nhập")
    assert _level(stp, 2027) == "encouraged"
    client.force_login(leader)
    assert 'name="one-level"' in client.get("/obligations/2027/").content.decode()
