"""Role x (own agency / other agency of the province / other province) x action, for every inspection endpoint.

404 outside your scope, 403 inside it with too low a role, 2xx when allowed. The expected codes are written
out by hand, one row per user, so a change of rule shows up as a diff here. One test per user and action
walks the three targets (they are independent objects), which keeps the suite fast.

Targets: "own" = ag_stp (the agency of ag_officer/ag_head), "same" = ag_snv (another An Giang agency),
"other" = cb_stp (Cao Bằng). For plans: the An Giang plan and the Cao Bằng plan.
"""

import pytest

from audits import services
from tests.audits.conftest import build_world, draft_plan, pdf_upload, setup_province

pytestmark = pytest.mark.django_db

USERS = ["ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd",
         "cb_officer", "cb_inspector", "cb_leader", "ministry", "admin"]
TARGETS = ("ag_stp", "ag_snv", "cb_stp")

READ = {  # inspections, findings, decisions, requests and their files
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (200, 200, 404), "ag_ubnd": (200, 200, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 200),
    "ministry": (200, 200, 200), "admin": (200, 200, 200),
}
INSPECT = {  # the team's work: checklist results, schedule, sign, findings, accept, reject, regenerate a PDF
    "ag_officer": (403, 404, 404), "ag_head": (403, 404, 404),
    "ag_inspector": (200, 200, 404), "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 403), "cb_inspector": (404, 404, 200), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (403, 403, 403),
}
ANSWER = {  # the agency's work: self-assessment, respond to a finding
    "ag_officer": (200, 404, 404), "ag_head": (200, 404, 404),
    "ag_inspector": (403, 403, 404), "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 200), "cb_inspector": (404, 404, 403), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (403, 403, 403),
}
EVIDENCE = {  # POST /findings/{id}/evidence/: the agency for its own findings, the team for the province's
    "ag_officer": (201, 404, 404), "ag_head": (201, 404, 404),
    "ag_inspector": (201, 201, 404), "ag_leader": (403, 403, 404), "ag_ubnd": (403, 403, 404),
    "cb_officer": (404, 404, 201), "cb_inspector": (404, 404, 201), "cb_leader": (404, 404, 403),
    "ministry": (403, 403, 403), "admin": (403, 403, 403),
}
PLAN_TARGETS = ("ag", "cb")
PLAN_READ = {
    "ag_officer": (404, 404), "ag_head": (404, 404), "ag_inspector": (200, 404), "ag_leader": (200, 404),
    "ag_ubnd": (200, 404), "cb_officer": (404, 404), "cb_inspector": (404, 200), "cb_leader": (404, 200),
    "ministry": (200, 200), "admin": (200, 200),
}
PLAN_EDIT = {  # PATCH, entries, submit, close (a draft plan)
    "ag_officer": (404, 404), "ag_head": (404, 404), "ag_inspector": (200, 404), "ag_leader": (403, 404),
    "ag_ubnd": (403, 404), "cb_officer": (404, 404), "cb_inspector": (404, 200), "cb_leader": (404, 403),
    "ministry": (403, 403), "admin": (403, 403),
}
PLAN_APPROVE = {  # approve or return (a submitted plan)
    "ag_officer": (404, 404), "ag_head": (404, 404), "ag_inspector": (403, 404), "ag_leader": (200, 404),
    "ag_ubnd": (403, 404), "cb_officer": (404, 404), "cb_inspector": (404, 403), "cb_leader": (404, 200),
    "ministry": (403, 403), "admin": (403, 403),
}
CREATE = {  # POST /inspection-plans/, /inspections/ (unplanned), /inspection-decisions/, /report-requests/
    "ag_officer": 403, "ag_head": 403, "ag_inspector": 201, "ag_leader": 403, "ag_ubnd": 403,
    "cb_officer": 403, "cb_inspector": 201, "cb_leader": 403, "ministry": 403, "admin": 403,
}
LIST = {  # agencies whose on-site inspections GET /inspections/ and whose findings GET /findings/ list
    "ag_officer": {"ag_stp"}, "ag_head": {"ag_stp"},
    "ag_inspector": {"ag_stp", "ag_snv"}, "ag_ubnd": {"ag_stp", "ag_snv"},
    "cb_officer": {"cb_stp"}, "cb_leader": {"cb_stp", "cb_snv"},
    "ministry": {"ag_stp", "ag_snv", "cb_stp", "cb_snv"}, "nobody": set(),
}


def expected_by_target(table, user, targets=TARGETS) -> dict:
    return dict(zip(targets, table[user], strict=True))


def check(results: dict, table, user, targets=TARGETS):
    """Compare {target: code} with the table's row, all targets at once so a failure shows the whole row."""
    assert results == expected_by_target(table, user, targets)


@pytest.fixture
def signed(cast):
    return build_world(cast)


@pytest.fixture
def unsigned(cast):
    return build_world(cast, sign=False)


@pytest.fixture
def responded(cast):
    return build_world(cast, responded=True)


# --- reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_read(api, responded, user):
    client = api.as_user(responded.cast.users[user])
    for target in TARGETS:
        inspection, finding = responded.inspections[target], responded.findings[target]
        evidence = finding.evidence.first()
        own_file = inspection.answers.get(item__code="documents-rolled-out").evidence.get()
        codes = {client.get(path).status_code for path in (
            f"/api/v1/inspections/{inspection.pk}/", f"/api/v1/inspections/{inspection.pk}/checklist/",
            f"/api/v1/inspections/{inspection.pk}/self-assessment/",
            f"/api/v1/inspections/{inspection.pk}/self-assessment/evidence/{own_file.pk}/",
            f"/api/v1/findings/{finding.pk}/",
            f"/api/v1/findings/{finding.pk}/evidence/", f"/api/v1/findings/{finding.pk}/evidence/{evidence.pk}/",
            f"/api/v1/inspection-decisions/{inspection.decision_id}/")}
        assert codes == {READ[user][TARGETS.index(target)]}, target


@pytest.mark.parametrize("user", USERS)
def test_download_pdfs(api, signed, user):
    """202 while a PDF is being generated (these tests run no worker)."""
    client = api.as_user(signed.cast.users[user])
    results = {}
    for target in TARGETS:
        inspection = signed.inspections[target]
        codes = {client.get(f"/api/v1/inspections/{inspection.pk}/record-pdf/").status_code,
                 client.get(f"/api/v1/inspection-decisions/{inspection.decision_id}/pdf/").status_code}
        assert len(codes) == 1, target
        results[target] = codes.pop()
    check(results, {u: tuple(202 if c == 200 else c for c in row) for u, row in READ.items()}, user)


@pytest.mark.parametrize("user", USERS)
def test_pages(client, responded, user):
    client.force_login(responded.cast.users[user])
    results = {}
    for target in TARGETS:
        inspection, finding = responded.inspections[target], responded.findings[target]
        evidence = finding.evidence.first()
        own_file = inspection.answers.get(item__code="documents-rolled-out").evidence.get()
        codes = {client.get(f"/inspections/{inspection.pk}/").status_code,
                 client.get(f"/inspections/{inspection.pk}/self-assessment/files/{own_file.pk}/").status_code,
                 client.get(f"/findings/{finding.pk}/").status_code,
                 client.get(f"/findings/{finding.pk}/evidence/{evidence.pk}/").status_code}
        assert len(codes) == 1, (target, codes)
        results[target] = codes.pop()
    check(results, READ, user)


@pytest.mark.parametrize(("user", "visible"), LIST.items())
def test_lists_are_scoped(api, signed, user, visible):
    cast = signed.cast
    client = api.as_user(cast.users[user])
    for path, params in (("/api/v1/inspections/", {"form": "on_site"}), ("/api/v1/findings/", {})):
        response = client.get(path, {"page_size": 100, **params})
        assert response.status_code == 200
        assert {row["agency"]["id"] for row in response.json()["results"]} == {cast.agencies[k].pk for k in visible}


PLAN_LIST = {  # provinces of the plans listed; number of decisions listed; provinces of the requests to report
    "ag_officer": (set(), 1, {"ag"}), "ag_inspector": ({"ag"}, 2, {"ag"}), "ag_ubnd": ({"ag"}, 2, {"ag"}),
    "cb_officer": (set(), 1, {"cb"}), "cb_leader": ({"cb"}, 2, {"cb"}), "ministry": ({"ag", "cb"}, 4, {"ag", "cb"}),
    "admin": ({"ag", "cb"}, 4, {"ag", "cb"}), "nobody": (set(), 0, set()),
}


@pytest.mark.parametrize(("user", "visible"), PLAN_LIST.items())
def test_plan_decision_and_request_lists_are_scoped(api, signed, user, visible):
    """Agencies see no plan, but the decisions and the requests to report addressed to them."""
    cast = signed.cast
    client = api.as_user(cast.users[user])
    plans = client.get("/api/v1/inspection-plans/").json()["results"]
    assert {p["province"]["code"] for p in plans} == {cast.provinces[k].code for k in visible[0]}
    assert client.get("/api/v1/inspection-decisions/").json()["count"] == visible[1]
    requests = {prefix: signed.inspections[f"{prefix}_stp"].report_request_id for prefix in ("ag", "cb")}
    listed = {row["id"] for row in client.get("/api/v1/report-requests/").json()["results"]}
    assert listed == {requests[k] for k in visible[2]}
    for prefix, pk in requests.items():
        assert client.get(f"/api/v1/report-requests/{pk}/").status_code == (200 if prefix in visible[2] else 404)


def test_agency_sees_findings_only_once_the_record_is_signed(api, unsigned):
    cast = unsigned.cast
    client = api.as_user(cast.users["ag_officer"])
    assert client.get("/api/v1/findings/").json()["count"] == 0
    assert client.get(f"/api/v1/findings/{unsigned.findings['ag_stp'].pk}/").status_code == 404
    assert client.get(f"/api/v1/inspections/{unsigned.inspections['ag_stp'].pk}/").status_code == 200


# --- the agency's work ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_self_assessment(api, unsigned, user):
    client = api.as_user(unsigned.cast.users[user])
    results = {}
    for target in TARGETS:
        inspection = unsigned.inspections[target]
        response = client.put(f"/api/v1/inspections/{inspection.pk}/self-assessment/", {"answers": [
            {"item": "scope-covers-procedures", "result": "met", "explanation": "45/45 TTHC"}]}, format="json")
        results[target] = response.status_code
        saved = inspection.answers.filter(item__code="scope-covers-procedures", explanation="45/45 TTHC").exists()
        assert saved == (response.status_code == 200)
        upload = client.post(f"/api/v1/inspections/{inspection.pk}/self-assessment/evidence/",
                             {"item": "scope-covers-procedures", "file": pdf_upload()}, format="multipart")
        assert upload.status_code == (201 if response.status_code == 200 else response.status_code)
        # submitting now fails on the rules (unanswered items) for those allowed, on access for the others
        submit = client.post(f"/api/v1/inspections/{inspection.pk}/self-assessment/submit/")
        assert submit.status_code == (400 if response.status_code == 200 else response.status_code)
    check(results, ANSWER, user)


@pytest.mark.parametrize("user", USERS)
def test_respond(api, signed, user):
    client = api.as_user(signed.cast.users[user])
    results = {}
    for target in TARGETS:
        finding = signed.findings[target]
        response = client.post(f"/api/v1/findings/{finding.pk}/respond/",
                               {"action_taken": "Đã tổ chức xem xét của lãnh đạo", "files": [pdf_upload()]},
                               format="multipart")
        results[target] = response.status_code
        finding.refresh_from_db()
        assert (finding.status == "responded") == (response.status_code == 200)
    check(results, ANSWER, user)


@pytest.mark.parametrize("user", USERS)
def test_add_evidence(api, signed, user):
    client = api.as_user(signed.cast.users[user])
    results = {}
    for target in TARGETS:
        finding = signed.findings[target]
        response = client.post(f"/api/v1/findings/{finding.pk}/evidence/", {"file": pdf_upload(), "note": "ảnh"},
                               format="multipart")
        results[target] = response.status_code
        assert finding.evidence.exists() == (response.status_code == 201)
    check(results, EVIDENCE, user)


# --- the team's work --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_checklist_schedule_and_sign(api, unsigned, user):
    client = api.as_user(unsigned.cast.users[user])
    results = {}
    for target in TARGETS:
        inspection = unsigned.inspections[target]
        codes = {
            client.put(f"/api/v1/inspections/{inspection.pk}/checklist/", {"results": [
                {"item": "complaints-handled", "result": "partly", "notes": "2/3"}]}, format="json").status_code,
            client.patch(f"/api/v1/inspections/{inspection.pk}/", {"location": "Số 9 Tôn Đức Thắng"},
                         format="json").status_code,
            client.post(f"/api/v1/inspections/{inspection.pk}/sign/", {"signed_on": "2026-03-10"},
                        format="json").status_code,
        }
        assert len(codes) == 1, (target, codes)
        results[target] = codes.pop()
        inspection.refresh_from_db()
        assert (inspection.status == "signed") == (results[target] == 200)
    check(results, INSPECT, user)


@pytest.mark.parametrize("user", USERS)
def test_record_a_finding_and_change_it(api, unsigned, user):
    client = api.as_user(unsigned.cast.users[user])
    results, agency_user = {}, user.endswith(("officer", "head"))
    for target in TARGETS:
        inspection, finding = unsigned.inspections[target], unsigned.findings[target]
        code = client.patch(f"/api/v1/findings/{finding.pk}/", {"clause": "9.3.2"}, format="json").status_code
        # the agency does not see the findings of an unsigned record at all
        results[target] = 403 if agency_user and code == 404 and READ[user][TARGETS.index(target)] == 200 else code
        response = client.post("/api/v1/findings/", {
            "inspection": inspection.pk, "checklist_item": "complaints-handled", "classification": "observation",
            "description": "Chưa có sổ theo dõi khiếu nại"}, format="json")
        # a create names no object in its URL: the role comes first (403), then the reference (400 outside scope)
        created = 201 if code == 200 else (400 if user.endswith("inspector") else 403)
        assert response.status_code == created, target
        assert inspection.findings.count() == (2 if created == 201 else 1)
    check(results, INSPECT, user)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("verdict", ["accept", "reject"])
def test_review(api, responded, user, verdict):
    client = api.as_user(responded.cast.users[user])
    results = {}
    for target in TARGETS:
        finding = responded.findings[target]
        response = client.post(f"/api/v1/findings/{finding.pk}/{verdict}/", {"reason": "Thiếu chữ ký", "note": "Đạt"},
                               format="json")
        results[target] = response.status_code
        finding.refresh_from_db()
        decided = {"accept": "accepted", "reject": "rejected"}[verdict]
        assert (finding.status == decided) == (response.status_code == 200)
    check(results, INSPECT, user)


@pytest.mark.parametrize("user", USERS)
def test_change_due_date_and_regenerate_pdf(api, signed, user):
    client = api.as_user(signed.cast.users[user])
    results = {}
    for target in TARGETS:
        inspection, finding = signed.inspections[target], signed.findings[target]
        code = client.post(f"/api/v1/inspections/{inspection.pk}/record-pdf/").status_code
        results[target] = 200 if code == 202 else code
        due = client.patch(f"/api/v1/findings/{finding.pk}/", {"due_on": "2026-08-31", "reason": "Gia hạn"},
                           format="json")
        assert due.status_code == results[target], target
    check(results, INSPECT, user)


# --- plans ------------------------------------------------------------------------------------------------------


@pytest.fixture
def plans(cast):
    for prefix in PLAN_TARGETS:
        setup_province(cast, prefix)
    return {prefix: draft_plan(cast, prefix) for prefix in PLAN_TARGETS}


@pytest.mark.parametrize("user", USERS)
def test_read_plan(api, client, cast, plans, user):
    client.force_login(cast.users[user])
    api_client = api.as_user(cast.users[user])
    results = {}
    for target in PLAN_TARGETS:
        plan = plans[target]
        codes = {api_client.get(f"/api/v1/inspection-plans/{plan.pk}/{suffix}").status_code
                 for suffix in ("", "entries/", "coverage/")}
        codes.add(api_client.get(f"/api/v1/plan-entries/{plan.entries.first().pk}/").status_code)
        codes.add(client.get(f"/inspections/plans/{plan.pk}/").status_code)
        pdf = api_client.get(f"/api/v1/inspection-plans/{plan.pk}/pdf/").status_code
        codes.add(200 if pdf == 202 else pdf)
        assert len(codes) == 1, (target, codes)
        results[target] = codes.pop()
    check(results, PLAN_READ, user, PLAN_TARGETS)


@pytest.mark.parametrize("user", USERS)
def test_edit_and_submit_plan(api, cast, plans, user):
    client = api.as_user(cast.users[user])
    results = {}
    for target in PLAN_TARGETS:
        plan = plans[target]
        entry = plan.entries.get(agency=cast.agencies[f"{target}_skhcn"])
        codes = {
            client.patch(f"/api/v1/inspection-plans/{plan.pk}/", {"signer_name": "Lê Văn Tám"},
                         format="json").status_code,
            client.patch(f"/api/v1/plan-entries/{entry.pk}/", {"budget_vnd": 1000}, format="json").status_code,
        }
        added = client.post(f"/api/v1/inspection-plans/{plan.pk}/entries/", {
            "agency": cast.agencies[f"{target}_cctdc"].pk, "form": "documents", "expected_from": "2026-04-01",
            "expected_to": "2026-04-10"}, format="json").status_code
        codes.add(200 if added == 201 else added)
        codes.add(client.post(f"/api/v1/inspection-plans/{plan.pk}/submit/").status_code)
        assert len(codes) == 1, (target, codes)
        results[target] = codes.pop()
        plan.refresh_from_db()
        assert (plan.state == "submitted") == (results[target] == 200)
    check(results, PLAN_EDIT, user, PLAN_TARGETS)


@pytest.mark.parametrize("user", USERS)
def test_remove_entry_and_close(api, cast, plans, user):
    client = api.as_user(cast.users[user])
    results = {}
    for target in PLAN_TARGETS:
        entry = plans[target].entries.get(agency=cast.agencies[f"{target}_skhcn"])
        code = client.delete(f"/api/v1/plan-entries/{entry.pk}/").status_code
        results[target] = 200 if code == 204 else code
        close = client.post(f"/api/v1/inspection-plans/{plans[target].pk}/close/").status_code
        assert close == (400 if code == 204 else code), target  # a draft cannot be closed
    check(results, PLAN_EDIT, user, PLAN_TARGETS)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("verdict", ["approve", "return"])
def test_approve_or_return_plan(api, cast, plans, user, verdict):
    client = api.as_user(cast.users[user])
    results = {}
    for target in PLAN_TARGETS:
        plan = plans[target]
        services.plan_submit(actor=cast.users[f"{target}_inspector"], plan=plan)
        plan.refresh_from_db()
        response = client.post(f"/api/v1/inspection-plans/{plan.pk}/{verdict}/", {
            "approval_number": "215/QĐ-UBND", "approval_date": plan.issued_on.isoformat(), "reason": "Bổ sung"},
            format="json")
        results[target] = response.status_code
        plan.refresh_from_db()
        assert (plan.state == {"approve": "approved", "return": "draft"}[verdict]) == (response.status_code == 200)
    check(results, PLAN_APPROVE, user, PLAN_TARGETS)


@pytest.mark.parametrize("user", USERS)
def test_create(api, cast, user):
    for prefix in PLAN_TARGETS:
        setup_province(cast, prefix)
    expected = CREATE[user]
    client = api.as_user(cast.users[user])
    assert client.post("/api/v1/inspection-plans/", {"year": 2027}, format="json").status_code == expected
    prefix = user[:2] if user[:2] in ("ag", "cb") else "ag"
    agency = cast.agencies[f"{prefix}_snv"]
    response = client.post("/api/v1/inspections/", {"agency": agency.pk, "form": "on_site",
                                                    "reason": "Phản ánh của người dân"}, format="json")
    assert response.status_code == expected
    inspection = services.inspection_create_unplanned(actor=cast.users[f"{prefix}_inspector"], agency=agency,
                                                      form="on_site", reason="Kiểm tra đột xuất")
    response = client.post("/api/v1/report-requests/", {"inspections": [inspection.pk], "deadline": "2100-01-01"},
                           format="json")
    assert response.status_code == expected
    response = client.post("/api/v1/inspection-decisions/", {
        "inspections": [inspection.pk], "issued_on": "2026-01-02", "starts_on": "2026-01-05",
        "ends_on": "2026-01-06", "team_leader": "Lê Minh Tuấn"}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("user", ["ag_inspector", "cb_inspector"])
def test_create_refers_only_to_your_province(api, cast, user):
    for prefix in PLAN_TARGETS:
        setup_province(cast, prefix)
    other = "cb" if user.startswith("ag") else "ag"
    client = api.as_user(cast.users[user])
    response = client.post("/api/v1/inspections/", {"agency": cast.agencies[f"{other}_snv"].pk, "form": "on_site",
                                                    "reason": "x"}, format="json")
    assert response.status_code == 400 and "agency" in response.json()
    inspection = services.inspection_create_unplanned(actor=cast.users[f"{other}_inspector"],
                                                      agency=cast.agencies[f"{other}_snv"], form="on_site",
                                                      reason="Kiểm tra đột xuất")
    response = client.post("/api/v1/report-requests/", {"inspections": [inspection.pk], "deadline": "2100-01-01"},
                           format="json")
    assert response.status_code == 400 and "inspections" in response.json()


@pytest.mark.parametrize("path", ["/inspections/", "/inspections/calendar/", "/inspections/plans/",
                                  "/findings/", "/findings/mine/"])
@pytest.mark.parametrize("user", USERS)
def test_list_pages_open_for_every_role(client, cast, user, path):
    client.force_login(cast.users[user])
    assert client.get(path, follow=True).status_code == 200


@pytest.mark.parametrize("user", ["ag_officer", "ag_leader", "ag_ubnd", "ministry", "admin"])
def test_unplanned_page_is_for_inspectors(client, cast, user):
    client.force_login(cast.users[user])
    assert client.get("/inspections/unplanned/").status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/inspection-plans/", "/api/v1/inspections/", "/api/v1/findings/",
                                  "/api/v1/inspection-decisions/", "/api/v1/report-requests/",
                                  "/api/v1/finding-classes/", "/api/v1/checklist/"])
def test_anonymous_is_refused(api, cast, path):
    assert api.get(path).status_code in (401, 403)


def test_nothing_is_deleted(api, signed):
    client = api.as_user(signed.cast.users["ag_inspector"])
    assert client.delete(f"/api/v1/findings/{signed.findings['ag_stp'].pk}/").status_code == 405
    assert client.delete(f"/api/v1/inspections/{signed.inspections['ag_stp'].pk}/").status_code == 405
    assert client.delete(f"/api/v1/inspection-plans/{signed.plans['ag'].pk}/").status_code == 405
