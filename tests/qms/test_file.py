"""The QMS file through the API: the journey from "not started" to "announced", and the rules on the way."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext

from qms.models import QmsRecord, Stage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(agency, suffix=""):
    return f"/api/v1/agencies/{agency.pk}/{suffix}"


@pytest.fixture
def officer(api, cast):
    return api.as_user(cast.users["ag_officer"])


def rules(client, agency):
    return {r["code"]: r["met"] for r in client.get(url(agency, "compliance/")).json()}


def test_journey_not_started_to_announced(api, cast):
    stp = cast.agencies["ag_stp"]
    officer = api.as_user(cast.users["ag_officer"])
    today = timezone.localdate()
    assert officer.get(url(stp, "qms/")).json()["stage"] == "not_started"
    # Not started: on no edition of the standard yet; no legal change recorded is "no data", not compliant.
    assert rules(officer, stp) == {"announced": False, "edition_2015": False, "coverage_complete": False,
                                   "internal_audit": False, "management_review": False, "legal_updates": False,
                                   "no_reannouncement_due": True, "corrective_actions": True}

    # Build: the steering committee decision is the evidence.
    response = officer.patch(url(stp, "qms/"), {"stage": "building"}, format="json")
    assert response.status_code == 400 and "Ban Chỉ đạo" in str(response.json())
    response = officer.patch(url(stp, "qms/"), {"steering_decision_number": "12/QĐ-STP",
                                               "steering_decision_date": str(today - timedelta(days=200)),
                                               "stage": "building"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "building"

    # Scope and documents.
    for code, covered in (("1.001", True), ("1.002", True)):
        assert officer.post(url(stp, "procedures/"), {"code": code, "name": f"Thủ tục {code}", "field": "Hộ tịch",
                                                      "covered": covered}, format="json").status_code == 201
    assert rules(officer, stp)["coverage_complete"] is True
    doc = officer.post(url(stp, "documents/"), {"kind": "policy", "code": "CS-01", "title": "Chính sách chất lượng",
                                               "status": "in_force", "issued_on": str(today - timedelta(days=150))},
                       format="json")
    assert doc.status_code == 201

    # Applying needs the head's approval; the officer may not give it.
    refused = officer.patch(url(stp, "qms/"), {"stage": "applying"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"stage": [gettext("Applying needs the head's approval of the documents.")]}
    approval = {"documents_approved_on": str(today - timedelta(days=140)), "documents_approved_by": "Trần Văn Hùng"}
    assert officer.patch(url(stp, "qms/"), approval, format="json").status_code == 403
    head = api.__class__().as_user(cast.users["ag_head"])
    assert head.patch(url(stp, "qms/"), approval, format="json").status_code == 200
    assert officer.patch(url(stp, "qms/"), {"stage": "applying"}, format="json").json()["stage"] == "applying"

    # Internal audit, review, the head confirms effectiveness.
    assert officer.post(url(stp, "internal-audits/"), {"held_on": str(today - timedelta(days=60)),
                                                      "auditors": "Nhóm đánh giá nội bộ", "nonconformities": 2},
                        format="json").status_code == 201
    assert officer.post(url(stp, "management-reviews/"), {"held_on": str(today - timedelta(days=50)),
                                                         "chair": "Trần Văn Hùng"}, format="json").status_code == 201
    confirmation = {"effectiveness_confirmed_on": str(today - timedelta(days=40)),
                    "effectiveness_confirmed_by": "Trần Văn Hùng"}
    assert head.patch(url(stp, "qms/"), confirmation, format="json").status_code == 200

    # Announced needs the decision; recording it moves the stage.
    response = officer.patch(url(stp, "qms/"), {"stage": "announced"}, format="json")
    assert response.status_code == 400 and "quyết định công bố" in str(response.json())
    announcement = officer.post(url(stp, "announcements/"), {
        "kind": "first", "decision_number": "45/QĐ-STP", "decision_date": str(today - timedelta(days=30)),
        "signer": "Trần Văn Hùng", "edition": "2015", "scope": "Toàn bộ TTHC thuộc thẩm quyền giải quyết",
        "notification_number": "50/STP-VP", "notification_date": str(today - timedelta(days=29)),
        "posted_at_office_on": str(today - timedelta(days=29)), "website_url": "https://stp.angiang.gov.vn/iso"},
        format="json")
    assert announcement.status_code == 201, announcement.json()
    upload = officer.post(url(stp, f"announcements/{announcement.json()['id']}/file/"),
                          {"file": SimpleUploadedFile("quyet-dinh.pdf", PDF, "application/pdf")}, format="multipart")
    assert upload.status_code == 201 and upload.json()["decision_file"]["kind"] == "pdf"
    assert officer.get(url(stp, "qms/")).json()["stage"] == "announced"
    assert not rules(officer, stp)["legal_updates"]
    # a legal change reflected within 3 months of taking effect
    assert officer.post(url(stp, "legal-updates/"), {
        "legal_document": "Nghị định 107/2021/NĐ-CP", "effective_on": str(today - timedelta(days=100)),
        "updated_on": str(today - timedelta(days=45))}, format="json").status_code == 201
    assert all(rules(officer, stp).values())

    # The province sees it; another province does not.
    inspector = api.__class__().as_user(cast.users["ag_inspector"])
    listing = inspector.get("/api/v1/compliance/", {"rule": "announced"}).json()
    assert stp.pk not in {row["id"] for row in listing["results"]}
    outsider = api.__class__().as_user(cast.users["cb_inspector"])
    for suffix in ("qms/", "qms/history/", "compliance/", "announcements/",
                   f"announcements/{announcement.json()['id']}/file/"):
        assert outsider.get(url(stp, suffix)).status_code == 404
    download = inspector.get(url(stp, f"announcements/{announcement.json()['id']}/file/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    # The history tells who moved the stage.
    history = officer.get(url(stp, "qms/history/")).json()
    stage_changes = [c for h in history if h["object"] == "qmsrecord" for c in h["changes"] if c["field"] == "stage"]
    assert {"old": "applying", "new": "announced", "new_display": "Đã công bố"}.items() <= stage_changes[0].items()


@pytest.fixture
def announced(api, cast):
    stp = cast.agencies["ag_stp"]
    today = timezone.localdate()
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.ANNOUNCED, edition="2015",
                                   build_started_on=today - timedelta(days=300),
                                   effectiveness_confirmed_on=today - timedelta(days=100))
    qms.announcements.create(kind="first", decision_number="1/QĐ", decision_date=today - timedelta(days=90),
                             signer="A", edition="2015", scope="Toàn bộ")
    return stp


def test_scope_change_makes_reannouncement_due(officer, announced):
    assert officer.post(url(announced, "procedures/"), {"code": "2.1", "name": "Thủ tục mới"},
                        format="json").status_code == 201
    qms = officer.get(url(announced, "qms/")).json()
    assert qms["stage"] == "reannouncement_due" and "phạm vi" in qms["reannouncement_reason"].lower()
    assert rules(officer, announced)["no_reannouncement_due"] is False


def test_edition_change_makes_reannouncement_due(api, cast):
    stp = cast.agencies["ag_stp"]
    QmsRecord.objects.create(agency=stp, stage=Stage.MAINTAINING, edition="2008")
    officer = api.as_user(cast.users["ag_officer"])
    assert officer.patch(url(stp, "qms/"), {"edition": "2015"}, format="json").json()["stage"] == "reannouncement_due"


def test_reannouncement_needs_reason_and_moves_back_to_announced(officer, announced):
    officer.post(url(announced, "procedures/"), {"code": "2.1", "name": "Thủ tục mới"}, format="json")
    payload = {"kind": "re", "decision_number": "2/QĐ", "decision_date": str(timezone.localdate()), "signer": "A",
               "edition": "2015", "scope": "Mở rộng"}
    response = officer.post(url(announced, "announcements/"), payload, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = officer.post(url(announced, "announcements/"), {**payload, "reason": "scope_extended"}, format="json")
    assert response.status_code == 201
    assert officer.get(url(announced, "qms/")).json()["stage"] == "announced"


def test_second_first_announcement_is_refused(officer, announced):
    response = officer.post(url(announced, "announcements/"), {
        "kind": "first", "decision_number": "9/QĐ", "decision_date": "2024-01-05", "signer": "A", "edition": "2015",
        "scope": "x"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_backwards_needs_reason(officer, announced):
    response = officer.patch(url(announced, "qms/"), {"stage": "building"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = officer.patch(url(announced, "qms/"), {"stage": "building", "reason": "Sáp nhập, xây dựng lại"},
                             format="json")
    assert response.status_code == 200 and response.json()["stage"] == "building"


def test_stages_cannot_be_skipped(officer, cast):
    stp = cast.agencies["ag_stp"]
    response = officer.patch(url(stp, "qms/"), {"stage": "announced"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"stage": [gettext("Stages cannot be skipped: move to %(next)s first.")
                                         % {"next": Stage.BUILDING.label}]}
    assert not QmsRecord.objects.filter(agency=stp).exclude(stage="not_started").exists()


def test_future_dates_refused(officer, cast):
    stp = cast.agencies["ag_stp"]
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    response = officer.post(url(stp, "internal-audits/"), {"held_on": tomorrow, "auditors": "A"}, format="json")
    assert response.status_code == 400 and "tương lai" in str(response.json()["held_on"])
    assert not QmsRecord.objects.filter(agency=stp, internal_audits__isnull=False).exists()


def test_review_cannot_predate_build(officer, announced):
    response = officer.post(url(announced, "management-reviews/"), {"held_on": "2015-01-01", "chair": "A"},
                            format="json")
    assert response.status_code == 400 and "held_on" in response.json()


def test_new_document_edition_supersedes_and_old_is_frozen(officer, cast):
    stp = cast.agencies["ag_stp"]
    first = officer.post(url(stp, "documents/"), {"kind": "work_process", "code": "QT-01", "title": "Quy trình A",
                                                 "status": "in_force"}, format="json").json()
    second = officer.post(url(stp, "documents/"), {"kind": "work_process", "code": "QT-01", "title": "Quy trình A",
                                                  "status": "in_force"}, format="json").json()
    assert second["edition"] == 2
    old = officer.get(url(stp, f"documents/{first['id']}/")).json()
    assert old["status"] == "superseded"
    response = officer.patch(url(stp, f"documents/{first['id']}/"), {"title": "Sửa"}, format="json")
    assert response.status_code == 400 and "thay thế" in str(response.json())


def test_legal_update_due_in_three_months(officer, cast):
    stp = cast.agencies["ag_stp"]
    response = officer.post(url(stp, "legal-updates/"), {"legal_document": "Nghị định 30/2020/NĐ-CP",
                                                        "effective_on": "2025-11-30"}, format="json")
    assert response.json()["due_on"] == "2026-02-28"


def test_overdue_legal_update_and_action_fail_rules(officer, cast):
    stp = cast.agencies["ag_stp"]
    officer.post(url(stp, "legal-updates/"), {"legal_document": "Luật X", "effective_on": "2020-01-01"}, format="json")
    officer.post(url(stp, "corrective-actions/"), {"description": "Thiếu hồ sơ", "action": "Bổ sung", "owner": "A",
                                                  "due_on": "2021-01-01"}, format="json")
    result = rules(officer, stp)
    assert result["legal_updates"] is False and result["corrective_actions"] is False


def test_stale_version_is_a_conflict(officer, cast):
    stp = cast.agencies["ag_stp"]
    version = officer.get(url(stp, "qms/")).json()["version"]
    assert officer.patch(url(stp, "qms/"), {"consultant": "Công ty A", "version": version},
                         format="json").status_code == 200
    response = officer.patch(url(stp, "qms/"), {"consultant": "Công ty B", "version": version}, format="json")
    assert response.status_code == 409
    assert QmsRecord.objects.get(agency=stp).consultant == "Công ty A"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("quyet-dinh.pdf", b"MZ\x90\x00 not a pdf", "Chỉ chấp nhận"),
    ("anh.png", PDF, "nội dung"),
    ("empty.pdf", b"", "trống"),
])
def test_bad_uploads(officer, announced, name, content, message):
    announcement = QmsRecord.objects.get(agency=announced).announcements.get()
    response = officer.post(url(announced, f"announcements/{announcement.pk}/file/"),
                            {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 400 and message in str(response.json())
    announcement.refresh_from_db()
    assert announcement.decision_file is None


def test_oversized_upload(officer, announced, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 100
    announcement = QmsRecord.objects.get(agency=announced).announcements.get()
    response = officer.post(url(announced, f"announcements/{announcement.pk}/file/"),
                            {"file": SimpleUploadedFile("a.pdf", PDF + b"x" * 200)}, format="multipart")
    assert response.status_code == 400 and "quá lớn" in str(response.json())


def test_procedure_import_csv_with_row_report(officer, cast):
    stp = cast.agencies["ag_stp"]
    csv_text = ("Mã TTHC;Tên TTHC;Lĩnh vực;Có quy trình\n"
                "1.0001;Đăng ký khai sinh;Hộ tịch;có\n"
                ";Thiếu mã;Hộ tịch;có\n"
                "1.0002;Đăng ký kết hôn;Hộ tịch;không\n"
                "1.0003;Cấp phiếu lý lịch;Lý lịch tư pháp;có lẽ\n")
    response = officer.post(url(stp, "procedures/import/"),
                            {"file": SimpleUploadedFile("tthc.csv", csv_text.encode())}, format="multipart")
    assert response.status_code == 200, response.json()
    report = response.json()["report"]
    assert (report["rows"], report["created"], report["rejected"], report["applied"]) == (4, 2, 2, True)
    assert [e["row"] for e in report["errors"]] == [3, 5]
    assert set(stp.procedures.values_list("code", flat=True)) == {"1.0001", "1.0002"}


def test_procedure_import_names_columns_and_cells_for_people(officer, cast):
    """A missing column is named as the template names it ("Mã TTHC", not "code"), and a cell with a control or
    invisible character is refused under its column with its value (it was reported on no column)."""
    stp = cast.agencies["ag_stp"]
    response = officer.post(url(stp, "procedures/import/"),
                            {"file": SimpleUploadedFile("tthc.csv", "Lĩnh vực;Ghi chú\nHộ tịch;x\n".encode())},
                            format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Dòng đầu tiên phải là tên các cột; còn thiếu: Mã TTHC, Tên TTHC."]}
    csv_text = ("Mã TTHC;Tên TTHC;Lĩnh vực\n"
                "1.0001;Đăng ký khai sinh;Hộ tịch\x01\n"
                "1.0002\u200b;Đăng ký kết hôn;Hộ tịch\n")
    response = officer.post(url(stp, "procedures/import/"),
                            {"file": SimpleUploadedFile("tthc.csv", csv_text.encode())}, format="multipart")
    errors = {e["row"]: e for e in response.json()["report"]["errors"]}
    assert (errors[2]["column"], errors[2]["value"]) == ("Lĩnh vực", "Hộ tịch\x01")
    assert errors[2]["message"] == "Văn bản chứa ký tự điều khiển không được phép."
    assert errors[3]["column"] == "Mã TTHC" and "ký tự ẩn" in errors[3]["message"]
    assert not stp.procedures.exists()


def test_procedure_import_xlsx_updates(officer, cast):
    from openpyxl import Workbook

    stp = cast.agencies["ag_stp"]
    stp.procedures.create(code="1.0001", name="Cũ")
    workbook = Workbook()
    workbook.active.append(["Code", "Name", "Field", "Covered"])
    workbook.active.append(["1.0001", "Đăng ký khai sinh", "Hộ tịch", "yes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = officer.post(url(stp, "procedures/import/"),
                            {"file": SimpleUploadedFile("tthc.xlsx", buffer.getvalue())}, format="multipart")
    assert response.json()["report"]["updated"] == 1
    assert stp.procedures.get().name == "Đăng ký khai sinh"


def test_procedure_import_refuses_other_files(officer, cast):
    response = officer.post(url(cast.agencies["ag_stp"], "procedures/import/"),
                            {"file": SimpleUploadedFile("x.csv", PDF)}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": [gettext("Import an Excel (.xlsx) or CSV file.")]}


def test_province_compliance_filters_and_counts(api, cast):
    inspector = api.as_user(cast.users["ag_inspector"])
    rows = inspector.get("/api/v1/compliance/", {"rule": "internal_audit"}).json()["results"]
    assert {r["id"] for r in rows} == {cast.agencies[k].pk for k in ("ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv")}
    assert inspector.get("/api/v1/compliance/", {"rule": "bogus"}).status_code == 400
    officer_rows = api.__class__().as_user(cast.users["ag_officer"]).get("/api/v1/compliance/").json()["results"]
    assert [r["id"] for r in officer_rows] == [cast.agencies["ag_stp"].pk]


def test_compliance_query_count_is_constant(api, cast, django_assert_max_num_queries):
    from tests.factories import AgencyFactory

    inspector = api.as_user(cast.users["ag_inspector"])
    inspector.get("/api/v1/compliance/")
    for _ in range(30):
        AgencyFactory(province=cast.provinces["ag"])
    with django_assert_max_num_queries(4):
        assert len(inspector.get("/api/v1/compliance/", {"page_size": 100}).json()["results"]) == 34


def test_compliance_pages_count_and_rows_in_one_pass(api, cast, django_assert_num_queries):
    """The count comes with the page's ids (COUNT(*) OVER ()): the rule's verdict is computed once, not once to
    count and once for the page. Pages are those of DRF: the same rows in the same order, 404 past the end, "last"
    the last page."""
    inspector = api.as_user(cast.users["ag_inspector"])
    whole = inspector.get("/api/v1/compliance/", {"rule": "internal_audit", "page_size": 200}).json()
    assert whole["count"] == len(whole["results"]) == 4
    pages = [inspector.get("/api/v1/compliance/", {"rule": "internal_audit", "page_size": 3, "page": n}).json()
             for n in (1, 2)]
    assert [p["count"] for p in pages] == [4, 4]
    assert [r["id"] for p in pages for r in p["results"]] == [r["id"] for r in whole["results"]]
    assert pages[0]["next"] and not pages[1]["next"] and pages[1]["previous"]
    last = inspector.get("/api/v1/compliance/", {"rule": "internal_audit", "page_size": 3, "page": "last"}).json()
    assert last["results"] == pages[1]["results"]
    past = inspector.get("/api/v1/compliance/", {"rule": "internal_audit", "page_size": 3, "page": 3})
    assert past.status_code == 404 and past.json()["detail"] == "Trang không hợp lệ."
    nothing = inspector.get("/api/v1/compliance/", {"rule": "internal_audit", "kind": "nganh_doc"}).json()
    assert (nothing["count"], nothing["results"]) == (0, [])
    with django_assert_num_queries(3):  # the user's scope, the page's ids with the count, the page judged
        inspector.get("/api/v1/compliance/", {"rule": "internal_audit"})


def test_unknown_part_is_404(officer, cast):
    assert officer.get(url(cast.agencies["ag_stp"], "nonsense/")).status_code == 404


def test_date_in_wrong_format(officer, cast):
    response = officer.post(url(cast.agencies["ag_stp"], "trainings/"),
                            {"held_on": "31/02/2024", "topic": "ISO", "attendees": 5}, format="json")
    assert response.status_code == 400
    assert "không đúng định dạng" in response.json()["held_on"][0]  # the translated message, on the field refused


def test_merger_closes_predecessor_and_makes_successor_reannounce(api, cast, announced):
    snv = cast.agencies["ag_snv"]
    inspector = api.as_user(cast.users["ag_inspector"])  # may record a split, not close an agency
    payload = {"successor": announced.pk, "kind": "merger", "effective_date": "2025-07-01"}
    assert inspector.post(f"/api/v1/agencies/{snv.pk}/successions/", payload, format="json").status_code == 403
    inspector = api.__class__().as_user(cast.users["ag_leader"])
    response = inspector.post(f"/api/v1/agencies/{snv.pk}/successions/",
                              {"successor": announced.pk, "kind": "merger", "effective_date": "2025-07-01"},
                              format="json")
    assert response.status_code == 201, response.json()
    snv.refresh_from_db()
    assert not snv.is_active
    assert QmsRecord.objects.get(agency=snv).stage == "inactive"
    assert QmsRecord.objects.get(agency=announced).stage == "reannouncement_due"
    again = inspector.post(f"/api/v1/agencies/{snv.pk}/successions/",
                           {"successor": announced.pk, "kind": "merger", "effective_date": "2025-07-01"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"successor": [gettext("This succession is already recorded.")]}


def test_succession_to_an_agency_outside_scope_looks_missing(api, cast):
    """The successor id is resolved through the caller's scope: outside it, the answer of an id that does not
    exist (400 on the field), and nothing is merged."""
    response = api.as_user(cast.users["ag_inspector"]).post(
        f"/api/v1/agencies/{cast.agencies['ag_snv'].pk}/successions/",
        {"successor": cast.agencies["cb_stp"].pk, "kind": "merger", "effective_date": "2025-07-01"}, format="json")
    assert response.status_code == 400 and "successor" in response.json()
    assert cast.agencies["ag_snv"].__class__.objects.get(pk=cast.agencies["ag_snv"].pk).is_active


def test_one_system_covers_the_office_too(officer, api, cast):
    ubnd_officer = api.__class__().as_user(cast.users["admin"])
    ubnd, skhcn = cast.agencies["ag_ubnd"], cast.agencies["ag_skhcn"]
    response = ubnd_officer.patch(url(ubnd, "qms/"), {"also_covers": [skhcn.pk]}, format="json")
    assert response.status_code == 200 and response.json()["also_covers"] == [skhcn.pk]
    response = ubnd_officer.patch(url(ubnd, "qms/"), {"also_covers": [cast.agencies["cb_stp"].pk]}, format="json")
    assert response.status_code == 400 and "also_covers" in response.json()
    assert list(QmsRecord.objects.get(agency=ubnd).also_covers.all()) == [skhcn]


def test_legal_update_status_is_computed(officer, cast):
    stp = cast.agencies["ag_stp"]
    late = officer.post(url(stp, "legal-updates/"), {"legal_document": "A", "effective_on": "2024-01-01",
                                                    "updated_on": "2024-06-01"}, format="json").json()
    on_time = officer.post(url(stp, "legal-updates/"), {"legal_document": "B", "effective_on": "2024-01-01",
                                                       "updated_on": "2024-02-01"}, format="json").json()
    overdue = officer.post(url(stp, "legal-updates/"), {"legal_document": "C", "effective_on": "2024-01-01"},
                           format="json").json()
    assert (late["status"], on_time["status"], overdue["status"]) == ("late", "on_time", "overdue")


def test_the_compliance_api_reads_the_filters_of_the_page(api, cast, client):
    """One reading of the filters (`qms.compliance_query.compliance_params`): the API takes the page's stage and
    sort too, and answers with the page's agencies in the page's order (it ignored them)."""
    inspector = cast.users["ag_inspector"]
    client.force_login(inspector)
    for query in ({"stage": "not_started"}, {"sort": "internal_audit"}, {"sort": "stage", "kind": "so"},
                  {"rule": "announced", "sort": "stage"}):
        page = client.get("/compliance/", query)
        listed = api.as_user(inspector).get("/api/v1/compliance/", {**query, "page_size": 50}).json()
        assert page.status_code == 200 and listed["count"] == page.context["total"], query
        assert [r["id"] for r in listed["results"]] == [a.pk for a, _rules in page.context["page"].object_list]
    assert api.as_user(inspector).get("/api/v1/compliance/", {"stage": "zzz"}).json() == {
        "stage": ['"zzz" không phải là một lựa chọn hợp lệ.']}
