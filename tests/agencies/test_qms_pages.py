import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import QmsRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, cast):
    client.force_login(cast.users["ag_officer"])
    return client


def test_qms_page_shows_checklist_and_next_steps(officer_client, cast):
    page = officer_client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/").content.decode()
    assert 'data-rule="announced" data-met="0"' in page
    assert "Hồ sơ HTQLCL" in page


def test_officer_adds_an_internal_audit_with_inline_errors(officer_client, cast):
    stp = cast.agencies["ag_stp"]
    page = officer_client.post(f"/agencies/{stp.pk}/qms/internal-audits/add/", {"held_on": "", "auditors": ""})
    assert page.status_code == 200
    assert "field-error" in page.content.decode()
    assert not QmsRecord.objects.get(agency=stp).internal_audits.exists()
    today = timezone.localdate().isoformat()
    response = officer_client.post(f"/agencies/{stp.pk}/qms/internal-audits/add/",
                                   {"held_on": today, "auditors": "Tổ đánh giá", "nonconformities": 1})
    assert response.status_code == 302
    assert QmsRecord.objects.get(agency=stp).internal_audits.count() == 1


def test_stage_change_without_evidence_shows_message(officer_client, cast):
    stp = cast.agencies["ag_stp"]
    response = officer_client.post(f"/agencies/{stp.pk}/qms/stage/", {"stage": "building"}, follow=True)
    assert "message-error" in response.content.decode()
    assert QmsRecord.objects.get(agency=stp).stage == "not_started"


def test_head_form_forbidden_for_officer(officer_client, cast):
    assert officer_client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/edit/head/").status_code == 403


@pytest.mark.parametrize(("user", "own", "other_province"), [
    ("ag_officer", 200, 404), ("ag_inspector", 200, 404), ("ministry", 200, 200), ("cb_leader", 404, 200)])
def test_qms_page_scope(client, cast, user, own, other_province):
    client.force_login(cast.users[user])
    assert client.get(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/").status_code == own
    assert client.get(f"/agencies/{cast.agencies['cb_stp'].pk}/qms/").status_code == other_province


@pytest.mark.parametrize(("user", "code"), [("ag_inspector", 403), ("ag_ubnd", 403), ("cb_officer", 404)])
def test_readers_cannot_post(client, cast, user, code):
    client.force_login(cast.users[user])
    response = client.post(f"/agencies/{cast.agencies['ag_stp'].pk}/qms/trainings/add/",
                           {"held_on": "2025-01-01", "topic": "ISO", "attendees": 3})
    assert response.status_code == code


def test_province_view_and_export(client, cast):
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/compliance/", {"rule": "internal_audit"}).content.decode()
    assert "Sở Tư pháp" in page and "Cao Bằng" not in page
    response = client.get("/compliance/export.xlsx", {"rule": "internal_audit"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["Ủy ban nhân dân tỉnh An Giang", "Sở Khoa học và Công nghệ", "Sở Tư pháp",
                                    "Sở Nội vụ"])


def test_export_neutralises_formulas(client, cast):
    stp = cast.agencies["ag_stp"]
    stp.name = "=HYPERLINK(\"http://x\")"
    stp.save()
    client.force_login(cast.users["ag_inspector"])
    sheet = load_workbook(io.BytesIO(client.get("/compliance/export.xlsx").content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_agency_users_cannot_use_province_view(officer_client):
    assert officer_client.get("/compliance/").status_code == 403


def test_dashboard_panels_for_the_province(client, cast, django_assert_max_num_queries):
    from agencies.models import QmsRecord

    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="maintaining")
    client.force_login(cast.users["ag_inspector"])
    client.get("/")
    page = client.get("/").content.decode()
    assert 'data-chart="chart-stage"' in page and "chart.umd.min.js" in page
    assert "/compliance/?kind=so&amp;stage=maintaining" in page


def test_dashboard_queries_do_not_grow(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AgencyFactory

    client.force_login(cast.users["ministry"])
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for _ in range(25):
        AgencyFactory(province=cast.provinces["cb"])
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_compliance_filters_by_stage(client, cast):
    from agencies.models import QmsRecord

    QmsRecord.objects.create(agency=cast.agencies["ag_stp"], stage="maintaining")
    client.force_login(cast.users["ag_inspector"])
    page = client.get("/compliance/", {"stage": "maintaining"}).content.decode()
    assert "Sở Tư pháp" in page and "Sở Nội vụ" not in page


def test_agency_users_get_no_dashboard(client, cast):
    client.force_login(cast.users["ag_officer"])
    assert "data-chart" not in client.get("/").content.decode()
