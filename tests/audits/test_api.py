"""The API as a new user would try it: the 2026 An Giang plan from draft to approval, an on-site inspection
signed with two findings, the agency answering one with evidence, the inspector accepting it and rejecting
the other. Plus bad input, filters and query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import Finding, FindingClass
from tests.audits.conftest import build_world, pdf_upload
from tests.factories import AgencyFactory, ObligationFactory

pytestmark = pytest.mark.django_db


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json()


def client_for(api, user):
    """A client of its own for each person (`api.as_user` re-authenticates the one shared client)."""
    return api.__class__().as_user(user)


def test_journey(api, units, mailoutbox, django_capture_on_commit_callbacks):
    cast = units
    inspector = client_for(api, cast.users["ag_inspector"])
    plan = ok(inspector.post("/api/v1/inspection-plans/", {"year": 2026}, format="json"), 201)
    assert plan["status"] == "draft" and plan["coverage"]["total"] == 4 and not plan["coverage"]["ok"]
    forms = {"ag_stp": "on_site", "ag_snv": "on_site", "ag_ubnd": "documents", "ag_skhcn": "documents"}
    for key, form in forms.items():
        ok(inspector.post(f"/api/v1/inspection-plans/{plan['id']}/entries/", {
            "agency": cast.agencies[key].pk, "form": form, "expected_from": "2026-03-09",
            "expected_to": "2026-03-13", "cooperating_unit": "Sở Nội vụ", "budget_vnd": 3000000}, format="json"), 201)
    coverage = ok(inspector.get(f"/api/v1/inspection-plans/{plan['id']}/coverage/"))
    assert coverage == {"ok": True, "determined": True, "total": 4, "covered": 4, "on_site": 2, "required_on_site": 2,
                        "missing": [], "errors": []}
    plan = ok(inspector.post(f"/api/v1/inspection-plans/{plan['id']}/submit/"))
    assert plan["status"] == "submitted" and plan["number"] == "01/KH-CCTDC" and plan["budget_total"] == 12000000
    leader = client_for(api, cast.users["ag_leader"])
    issued = plan["issued_on"]
    plan = ok(leader.post(f"/api/v1/inspection-plans/{plan['id']}/approve/",
                          {"approval_number": "215/QĐ-UBND", "approval_date": issued}, format="json"))
    assert plan["status"] == "approved" and plan["approval_number"] == "215/QĐ-UBND"

    inspections = {row["agency"]["id"]: row for row in ok(inspector.get("/api/v1/inspections/",
                                                                        {"plan": plan["id"]}))["results"]}
    stp = inspections[cast.agencies["ag_stp"].pk]
    assert stp["status"] == "planned" and stp["form"] == "on_site"
    with django_capture_on_commit_callbacks(execute=True):
        request = ok(inspector.post("/api/v1/report-requests/", {
            "inspections": [row["id"] for row in inspections.values()],
            "deadline": (timezone.localdate() + timedelta(days=20)).isoformat()}, format="json"), 201)
    assert request["number"] == "01/CCTDC" and len(mailoutbox) == 2  # the two STP users

    officer = client_for(api, cast.users["ag_officer"])
    rows = ok(officer.get(f"/api/v1/inspections/{stp['id']}/self-assessment/"))
    assert len(rows) == 13 and rows[0]["item"]["number"] == 1
    ok(officer.put(f"/api/v1/inspections/{stp['id']}/self-assessment/", {"answers": [
        {"item": row["item"]["code"], "result": "met", "explanation": "Đã thực hiện"} for row in rows]},
        format="json"))
    ok(officer.post(f"/api/v1/inspections/{stp['id']}/self-assessment/evidence/",
                    {"item": "announced-notified-posted", "file": pdf_upload("quyet-dinh-cong-bo.pdf")},
                    format="multipart"), 201)
    assert ok(officer.post(f"/api/v1/inspections/{stp['id']}/self-assessment/submit/"))["status"] == "self_assessed"

    today = timezone.localdate()
    decision = ok(inspector.post("/api/v1/inspection-decisions/", {
        "inspections": [stp["id"]], "issued_on": today.isoformat(), "starts_on": today.isoformat(),
        "ends_on": today.isoformat(), "team_leader": "Lê Minh Tuấn", "team_leader_position": "Phó Chi cục trưởng",
        "members": [{"name": "Nguyễn Văn An", "position": "Chuyên viên", "role": "secretary"}]}, format="json"), 201)
    assert decision["number"] == "01/QĐ-CCTDC" and decision["members"][0]["role"] == "secretary"
    items = ok(inspector.get("/api/v1/checklist/"))
    ok(inspector.put(f"/api/v1/inspections/{stp['id']}/checklist/", {
        "results": [{"item": i["code"], "result": "partly" if i["number"] in (1, 5) else "met"} for i in items],
        "agency_representative": "Trần Văn Hùng", "conclusion": "Cơ bản đáp ứng yêu cầu."}, format="json"))
    first = ok(inspector.post("/api/v1/findings/", {
        "inspection": stp["id"], "checklist_item": "review-audit-corrective-action", "classification": "nonconformity",
        "clause": "9.3", "description": "Chưa tổ chức xem xét của lãnh đạo năm 2026."}, format="json"), 201)
    second = ok(inspector.post("/api/v1/findings/", {
        "inspection": stp["id"], "checklist_item": "scope-covers-procedures", "classification": "observation",
        "description": "03 TTHC hộ tịch chưa có quy trình."}, format="json"), 201)
    assert (first["number"], second["number"], first["due_on"]) == (1, 2, None)
    signed = ok(inspector.post(f"/api/v1/inspections/{stp['id']}/sign/", {"signed_on": today.isoformat()},
                               format="json"))
    assert signed["status"] == "signed" and signed["record"]["number"] == "01/BB-CCTDC"

    mine = ok(officer.get("/api/v1/findings/"))["results"]
    assert [f["number"] for f in mine] == [1, 2] and {f["status"] for f in mine} == {"open"}
    due = date.fromisoformat(mine[0]["due_on"])
    assert (due.year * 12 + due.month) - (today.year * 12 + today.month) == 2
    ok(officer.post(f"/api/v1/findings/{first['id']}/evidence/", {"file": pdf_upload("bien-ban-hop.pdf")},
                    format="multipart"), 201)
    answered = ok(officer.post(f"/api/v1/findings/{first['id']}/respond/", {
        "action_taken": "Đã tổ chức họp xem xét của lãnh đạo ngày 20/3.", "cause": "Chưa bố trí thời gian"},
        format="json"))
    assert answered["status"] == "responded" and len(answered["responses"][0]["evidence"]) == 1
    accepted = ok(inspector.post(f"/api/v1/findings/{first['id']}/accept/", {"note": "Đạt"}, format="json"))
    assert accepted["status"] == "accepted" and accepted["closed_on"] == today.isoformat()
    ok(officer.post(f"/api/v1/findings/{second['id']}/respond/", {
        "action_taken": "Đang xây dựng quy trình.", "files": [pdf_upload("du-thao.pdf")]}, format="multipart"))
    rejected = ok(inspector.post(f"/api/v1/findings/{second['id']}/reject/",
                                 {"reason": "Chưa ban hành quy trình."}, format="json"))
    assert rejected["status"] == "rejected"
    assert [e["kind"] for e in rejected["events"]] == ["created", "due_date_set", "evidence_added", "responded",
                                                       "rejected"]
    assert rejected["events"][-1]["who"] == "ag_inspector" and rejected["events"][-1]["reason"] == \
        "Chưa ban hành quy trình."
    board = ok(inspector.get("/api/v1/findings/", {"status": "rejected"}))["results"]
    assert [f["id"] for f in board] == [second["id"]]


@pytest.fixture
def signed(cast):
    return build_world(cast)


def test_filters(api, signed):
    cast = signed.cast
    client = api.as_user(cast.users["ministry"])

    def ids(params):
        return {row["id"] for row in ok(client.get("/api/v1/findings/", params))["results"]}

    everything = ids({})
    assert len(everything) == 4
    assert ids({"province": 91}) == {signed.findings["ag_stp"].pk, signed.findings["ag_snv"].pk}
    assert ids({"agency": cast.agencies["cb_snv"].pk}) == {signed.findings["cb_snv"].pk}
    assert ids({"overdue": "true"}) == everything  # due 10/05/2026, long past
    assert ids({"overdue": "false"}) == set()
    assert ids({"year": 2026}) == everything and ids({"year": 2025}) == set()
    assert ids({"status": "responded"}) == set()
    assert ids({"classification": "nonconformity"}) == everything
    inspections = ok(client.get("/api/v1/inspections/", {"province": 4, "status": "signed"}))["results"]
    assert {row["agency"]["id"] for row in inspections} == {cast.agencies["cb_stp"].pk, cast.agencies["cb_snv"].pk}
    plans = ok(client.get("/api/v1/inspection-plans/", {"year": 2026, "status": "in_progress"}))["results"]
    assert len(plans) == 2
    assert ok(client.get("/api/v1/findings/", {"overdue": "true"}))["results"][0]["is_overdue"] is True


@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/findings/", {"status": "lost"}), ("/api/v1/findings/", {"overdue": "maybe"}),
    ("/api/v1/inspections/", {"form": "by-phone"}), ("/api/v1/inspection-plans/", {"status": "x"}),
])
def test_bad_filter_values_are_a_clear_400(api, cast, path, params):
    response = api.as_user(cast.users["ministry"]).get(path, params)
    assert response.status_code == 400 and set(params) <= set(response.json())


def _count(client, path, size):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, {"page_size": size}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/api/v1/findings/", "/api/v1/inspections/", "/api/v1/inspection-plans/",
                                  "/api/v1/inspection-decisions/", "/api/v1/report-requests/"])
def test_list_query_count_does_not_grow(api, signed, path):
    from audits import services

    cast = signed.cast
    client = api.as_user(cast.users["ministry"])
    _count(client, path, 2)
    small = _count(client, path, 2)
    # more of everything: 12 more agencies with unplanned inspections, findings, decisions and requests
    inspector = cast.users["ag_inspector"]
    for _i in range(12):
        agency = AgencyFactory(province=cast.provinces["ag"])
        ObligationFactory(agency=agency, year=2026)
        inspection = services.inspection_create_unplanned(actor=inspector, agency=agency, form="on_site",
                                                          reason="Phản ánh")
        services.report_request_send(actor=inspector, inspections=[inspection], deadline=date(2100, 1, 1))
        services.decision_issue(actor=inspector, inspections=[inspection], issued_on=timezone.localdate(),
                                starts_on=timezone.localdate(), ends_on=timezone.localdate(), team_leader="A")
        item = signed.items(inspection)["complaints-handled"]
        services.finding_create(actor=inspector, inspection=inspection, checklist_item=item,
                                classification=FindingClass.objects.get(code="observation"), description="x")
    assert Finding.objects.count() == 16
    assert _count(client, path, 100) == small


@pytest.mark.parametrize(("payload", "field"), [
    ({"year": 1999}, "year"), ({"year": "năm nay"}, "year"), ({}, "year"),
    ({"year": 2027, "purpose": "a\x00b"}, "purpose"), ({"year": 2027, "signer_name": "x" * 121}, "signer_name"),
])
def test_bad_plan_input(api, units, payload, field):
    response = api.as_user(units.users["ag_inspector"]).post("/api/v1/inspection-plans/", payload, format="json")
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize(("payload", "field"), [
    ({"form": "by-phone"}, "form"), ({"budget_vnd": -1}, "budget_vnd"), ({"budget_vnd": 10**13}, "budget_vnd"),
    ({"expected_from": "31/02/2026"}, "expected_from"), ({"expected_to": "2027-01-01"}, "expected_to"),
    ({"agency": 999999}, "agency"), ({"cooperating_unit": "x" * 256}, "cooperating_unit"),
])
def test_bad_entry_input(api, units, payload, field):
    from tests.audits.conftest import draft_plan

    plan = draft_plan(units, "ag", forms={})
    body = {"agency": units.agencies["ag_stp"].pk, "form": "on_site", "expected_from": "2026-03-01",
            "expected_to": "2026-03-02", **payload}
    response = api.as_user(units.users["ag_inspector"]).post(f"/api/v1/inspection-plans/{plan.pk}/entries/", body,
                                                             format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not plan.entries.exists()


def test_approving_an_incomplete_plan_is_a_clear_400(api, units):
    from tests.audits.conftest import draft_plan

    plan = draft_plan(units, "ag", forms={"stp": "on_site"})
    client = api.as_user(units.users["ag_inspector"])
    response = client.post(f"/api/v1/inspection-plans/{plan.pk}/submit/")
    assert response.status_code == 400
    errors = response.json()["non_field_errors"]
    assert any("Sở Nội vụ" in e for e in errors) and len(errors) == 3
    response = api.as_user(units.users["ag_leader"]).post(f"/api/v1/inspection-plans/{plan.pk}/approve/", {
        "approval_number": "1/QĐ-UBND", "approval_date": "2026-01-15"}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()


@pytest.mark.parametrize(("payload", "field"), [
    ({"results": [{"item": "no-such-item", "result": "met"}]}, "item"),
    ({"results": [{"item": "complaints-handled", "result": "perfect"}]}, "results"),
    ({"results": "all good"}, "results"), ({"conclusion": "x" * 10001}, "conclusion"),
])
def test_bad_checklist_input(api, cast, payload, field):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    response = api.as_user(cast.users["ag_inspector"]).put(f"/api/v1/inspections/{inspection.pk}/checklist/", payload,
                                                           format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_signing_with_unanswered_items_is_a_clear_400(api, cast):
    world = build_world(cast, sign=False)
    inspection = world.inspections["ag_stp"]
    client = api.as_user(cast.users["ag_inspector"])
    client.put(f"/api/v1/inspections/{inspection.pk}/checklist/",
               {"results": [{"item": "consultant-properly-selected", "result": ""}]}, format="json")
    response = client.post(f"/api/v1/inspections/{inspection.pk}/sign/", {"signed_on": "2026-03-10"}, format="json")
    assert response.status_code == 400
    assert "13." in " ".join(response.json()["non_field_errors"])
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(f"/api/v1/inspections/{inspection.pk}/sign/", {"signed_on": future}, format="json")
    assert response.status_code == 400 and "signed_on" in response.json()


def test_due_date_before_the_record_date_is_a_clear_400(api, signed):
    finding = signed.findings["ag_stp"]
    response = api.as_user(signed.cast.users["ag_inspector"]).patch(
        f"/api/v1/findings/{finding.pk}/", {"due_on": "2026-03-01", "reason": "Sửa"}, format="json")
    assert response.status_code == 400 and "10/03/2026" in response.json()["due_on"][0]


def test_responding_without_evidence_or_to_another_agency(api, signed):
    client = api.as_user(signed.cast.users["ag_officer"])
    response = client.post(f"/api/v1/findings/{signed.findings['ag_stp'].pk}/respond/", {"action_taken": "Đã làm"},
                           format="json")
    assert response.status_code == 400 and "files" in response.json()
    response = client.post(f"/api/v1/findings/{signed.findings['ag_snv'].pk}/respond/",
                           {"action_taken": "Đã làm", "files": [pdf_upload()]}, format="multipart")
    assert response.status_code == 404


def test_evidence_that_lies_about_its_kind_or_is_too_big(api, signed, settings, png_upload):
    client = api.as_user(signed.cast.users["ag_officer"])
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    finding = signed.findings["ag_stp"]
    response = client.post(f"/api/v1/findings/{finding.pk}/evidence/", {"file": png_upload("ke-hoach.pdf")},
                           format="multipart")
    assert response.status_code == 400 and "PNG" in str(response.json())
    settings.FILE_UPLOAD_MAX_BYTES = 2000
    response = client.post(f"/api/v1/findings/{finding.pk}/respond/", {
        "action_taken": "Đã làm", "files": [pdf_upload(size=5000)]}, format="multipart")
    assert response.status_code == 400
    assert "too large" in str(response.json())
    finding.refresh_from_db()
    assert finding.status == "open" and not finding.evidence.exists() and not finding.responses.exists()


def test_accepting_without_a_response_and_the_race(api, signed):
    from audits import services
    from tests.audits.conftest import respond

    inspector = api.as_user(signed.cast.users["ag_inspector"])
    inspector.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the messages checked below are the English source strings
    finding = signed.findings["ag_stp"]
    response = inspector.post(f"/api/v1/findings/{finding.pk}/accept/", {}, format="json")
    assert response.status_code == 400 and "no response to review" in str(response.json())
    respond(signed, "ag_stp")
    services.finding_accept(actor=signed.cast.users["ag_inspector"], finding=Finding.objects.get(pk=finding.pk))
    response = inspector.post(f"/api/v1/findings/{finding.pk}/reject/", {"reason": "Chưa đạt"}, format="json")
    assert response.status_code == 409 and "already accepted" in response.json()["detail"]


def test_reference_data(api, cast):
    client = api.as_user(cast.users["ag_officer"])
    items = ok(client.get("/api/v1/checklist/"))
    assert [i["number"] for i in items] == list(range(1, 14))
    assert {i["group"] for i in items[:7]} == {"iso9001"} and {i["group"] for i in items[7:]} == {"decision19"}
    assert items[0]["code"] == "scope-covers-procedures" and "thủ tục hành chính" in items[0]["text"]
    classes = ok(client.get("/api/v1/finding-classes/"))
    assert [c["code"] for c in classes] == ["nonconformity", "observation", "recommendation"]
    assert classes[0]["name"] == "Điểm không phù hợp"
    english = ok(client.get("/api/v1/finding-classes/", HTTP_ACCEPT_LANGUAGE="en"))
    assert english[0]["name"] == "Nonconformity"


def test_schema_lists_the_endpoints(api, cast):
    schema = api.as_user(cast.users["ag_officer"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    for path in ["/api/v1/inspection-plans/{id}/submit/", "/api/v1/inspection-plans/{id}/approve/",
                 "/api/v1/inspections/{id}/sign/", "/api/v1/inspections/{id}/checklist/",
                 "/api/v1/findings/{id}/respond/", "/api/v1/findings/{id}/accept/", "/api/v1/findings/{id}/reject/",
                 "/api/v1/findings/{id}/evidence/", "/api/v1/inspection-plans/{id}/pdf/"]:
        assert path in paths, path


def test_summary_for_reports_in_constant_queries(signed, django_assert_num_queries):
    from agencies.models import Agency
    from audits.selectors import inspection_summary_by_agency
    from tests.audits.conftest import respond

    respond(signed, "ag_snv")
    agencies = Agency.objects.filter(province__code=91)
    with django_assert_num_queries(2):
        summary = inspection_summary_by_agency(agencies=agencies, year=2026, today=date(2026, 6, 1))
    cast = signed.cast
    stp, snv, ubnd = (summary[cast.agencies[k].pk] for k in ("ag_stp", "ag_snv", "ag_ubnd"))
    assert (stp.form, stp.status, stp.record_signed_on) == ("on_site", "signed", date(2026, 3, 10))
    assert (stp.findings_open, stp.findings_overdue, stp.findings_responded) == (1, 1, 0)
    assert (snv.findings_open, snv.findings_responded) == (0, 1)
    assert (ubnd.form, ubnd.record_signed_on, ubnd.findings_open) == ("documents", None, 0)
    assert cast.agencies["cb_stp"].pk not in summary
