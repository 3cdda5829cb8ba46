"""The pages, used the way inspectors and agency staff use them (forms posted as a browser would)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits.models import Finding, InspectionPlan, InspectionRecord
from tests.audits.conftest import build_world, pdf_upload

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "audits"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_inspector_builds_the_plan_and_the_leader_approves_it(client, units):
    cast = units
    client.force_login(cast.users["ag_inspector"])
    response = client.post("/inspections/plans/", {"year": 2026})
    plan = InspectionPlan.objects.get(province=cast.provinces["ag"], year=2026)
    assert response.status_code == 302 and response["Location"] == f"/inspections/plans/{plan.pk}/"
    page = html(client.get(f"/inspections/plans/{plan.pk}/"))
    assert "0/4" in page and "Sở Tư pháp" in page  # coverage: nobody yet; the missing agencies are named
    for key, form in (("ag_stp", "on_site"), ("ag_snv", "on_site"), ("ag_ubnd", "documents"),
                      ("ag_skhcn", "documents")):
        response = client.post(f"/inspections/plans/{plan.pk}/entry/", {
            "entry-agency": cast.agencies[key].pk, "entry-form": form,
            "entry-expected_from": "2026-03-09", "entry-expected_to": "2026-03-13", "entry-budget_vnd": 2500000,
            "entry-cooperating_unit": "Sở Nội vụ"})
        assert response.status_code == 302
    page = html(client.get(f"/inspections/plans/{plan.pk}/"))
    assert "4/4" in page and "10.000.000" in page
    # 2 on site of the 2 required: said as such, not "2/2" (a plan with 43 on site read "43/42")
    assert re.search(r'num-big">2</div><div class="muted">kiểm tra trực tiếp tại cơ quan '
                     r'\(cần ít nhất 2: một phần ba\)', page)
    bad = client.post(f"/inspections/plans/{plan.pk}/entry/", {
        "entry-agency": cast.agencies["ag_cctdc"].pk, "entry-form": "on_site",
        "entry-expected_from": "2026-03-09", "entry-expected_to": "2025-03-13", "entry-budget_vnd": 0})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    assert client.post(f"/inspections/plans/{plan.pk}/submit/", {}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == "submitted" and plan.number == "01/KH-CCTDC"
    assert client.post(f"/inspections/plans/{plan.pk}/approve/", {
        "approve-approval_number": "1/QĐ-UBND",
        "approve-approval_date": plan.issued_on.isoformat()}).status_code == 403
    client.force_login(cast.users["ag_leader"])
    page = html(client.get(f"/inspections/plans/{plan.pk}/"))
    assert f"/inspections/plans/{plan.pk}/approve/" in page and f"/inspections/plans/{plan.pk}/entry/" not in page
    response = client.post(f"/inspections/plans/{plan.pk}/approve/", {
        "approve-approval_number": "215/QĐ-UBND",
        "approve-approval_date": plan.issued_on.isoformat()})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.inspections.count() == 4


def test_submitting_an_incomplete_plan_shows_what_is_missing(client, units):
    from tests.audits.conftest import draft_plan

    plan = draft_plan(units, "ag", forms={"stp": "on_site"})
    client.force_login(units.users["ag_inspector"])
    page = html(client.post(f"/inspections/plans/{plan.pk}/submit/", {}))
    assert "form-errors" in page and "Sở Nội vụ" in page and "Ủy ban nhân dân tỉnh An Giang" in page
    plan.refresh_from_db()
    assert plan.state == "draft"


def test_inspection_on_a_phone(client, cast):
    """The whole on-site work from the inspection page: decision, checklist, a finding, signature."""
    world = build_world(cast, sign=False)
    inspection = world.plans["ag"].inspections.get(agency=cast.agencies["ag_ubnd"])  # by documents, fresh
    client.force_login(cast.users["ag_inspector"])
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    assert 'name="viewport"' in page and "css/audits.css" in page
    assert page.count('class="check-item"') >= 13 and 'type="radio"' in page
    items = world.items(inspection)
    data = {"record-agency_representative": "Nguyễn Văn Bình",
            "record-team_leader_name": "Lê Minh Tuấn"}
    data.update({f"check-result_{code}": "met" for code in items})
    data["check-result_complaints-handled"] = "not_met"
    data["check-notes_complaints-handled"] = "Không có sổ theo dõi"
    assert client.post(f"/inspections/{inspection.pk}/checklist/", data).status_code == 302
    response = client.post(f"/inspections/{inspection.pk}/finding/", {
        "finding-checklist_item": "complaints-handled", "finding-classification": "nonconformity",
        "finding-description": "Không có sổ theo dõi khiếu nại", "finding-clause": "9.1.2"})
    assert response.status_code == 302
    today = timezone.localdate()
    response = client.post(f"/inspections/{inspection.pk}/sign/", {"sign-signed_on": today.isoformat(),
                                                               "sign-team_leader_name": "Lê Minh Tuấn",
                                                               "sign-agency_representative": "Nguyễn Văn Bình"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "signed" and inspection.record.number == "01/BB-CCTDC"
    finding = inspection.findings.get()
    assert finding.due_on is not None and finding.due_on > today
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    assert f"/inspections/{inspection.pk}/sign/" not in page
    assert "01/BB-CCTDC" in page and "Không có sổ theo dõi khiếu nại" in page


def test_signing_an_unfinished_record_shows_the_items(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.plans["ag"].inspections.get(agency=cast.agencies["ag_ubnd"])
    client.force_login(cast.users["ag_inspector"])
    page = html(client.post(f"/inspections/{inspection.pk}/sign/", {
        "sign-signed_on": timezone.localdate().isoformat(), "sign-team_leader_name": "A",
        "sign-agency_representative": "B"}))
    assert "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13" in page


def test_agency_answers_the_checklist_with_evidence(client, cast):
    world = build_world(cast, sign=False)
    inspection = world.plans["ag"].inspections.get(agency=cast.agencies["ag_stp"])
    inspection.__class__.objects.filter(pk=inspection.pk).update(self_assessment_submitted_at=None)
    fresh = world.plans["ag"].inspections.get(agency=cast.agencies["ag_ubnd"])
    client.force_login(cast.users["ag_officer"])
    assert client.get(f"/inspections/{fresh.pk}/").status_code == 404  # another agency
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    assert 'enctype="multipart/form-data"' in page and "self-result_scope-covers-procedures" in page
    data = {"self-file_scope-covers-procedures": pdf_upload("danh-muc-tthc.pdf")}
    data.update({f"self-result_{code}": "met" for code in world.items(inspection)})
    data["self-explanation_scope-covers-procedures"] = "45/45 TTHC có quy trình"
    assert client.post(f"/inspections/{inspection.pk}/self-submit/", data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.self_assessment_submitted_at is not None
    answer = inspection.answers.get(item__code="scope-covers-procedures")
    assert answer.explanation == "45/45 TTHC có quy trình" and answer.evidence.get().original_name == \
        "danh-muc-tthc.pdf"


def test_a_refused_submission_saves_neither_the_answers_nor_the_files(client, cast):
    """Answers, files and submission are one step: one item left blank refuses it all (issue 20)."""
    world = build_world(cast, sign=False)
    inspection = world.plans["ag"].inspections.get(agency=cast.agencies["ag_stp"])
    inspection.__class__.objects.filter(pk=inspection.pk).update(self_assessment_submitted_at=None)
    client.force_login(cast.users["ag_officer"])
    client.get(f"/inspections/{inspection.pk}/")
    before = {a.item.code: (a.result, a.explanation) for a in inspection.answers.select_related("item")}
    files_before = list(inspection.answers.filter(evidence__isnull=False).values_list("evidence", flat=True))
    codes = list(world.items(inspection))
    data = {"self-file_scope-covers-procedures": pdf_upload("danh-muc-tthc.pdf"),
            "self-explanation_scope-covers-procedures": "45/45 TTHC có quy trình"}
    data.update({f"self-result_{code}": "met" for code in codes[:-1]})
    data[f"self-result_{codes[-1]}"] = ""
    page = html(client.post(f"/inspections/{inspection.pk}/self-submit/", data))
    assert "Vui lòng trả lời tất cả nội dung kiểm tra trước khi gửi; còn chưa trả lời: " in page
    inspection.refresh_from_db()
    assert inspection.self_assessment_submitted_at is None
    assert {a.item.code: (a.result, a.explanation) for a in inspection.answers.select_related("item")} == before
    assert list(inspection.answers.filter(evidence__isnull=False).values_list("evidence", flat=True)) == files_before


def test_agency_findings_list_says_what_to_do_next(client, cast):
    build_world(cast)
    client.force_login(cast.users["ag_officer"])
    page = html(client.get("/findings/mine/"))
    assert "Chưa tổ chức xem xét của lãnh đạo trong năm 2026." in page
    assert "tone-bad" in page and "10/05/2026" in page  # overdue since the due date
    assert "Sở Nội vụ" not in page
    assert client.get("/findings/", follow=True).redirect_chain[-1][0] == "/findings/mine/"


def test_agency_responds_with_files_and_the_inspector_decides(client, cast, png_upload):
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    client.force_login(cast.users["ag_officer"])
    page = html(client.get(f"/findings/{finding.pk}/"))
    assert 'name="respond-files"' in page and "multiple" in page
    response = client.post(f"/findings/{finding.pk}/respond/", {
        "respond-action_taken": "Đã họp xem xét của lãnh đạo ngày 15/5",
        "respond-files": [pdf_upload("bien-ban-hop.pdf"), png_upload("anh-cuoc-hop.png")]})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "responded" and finding.evidence.count() == 2
    page = html(client.get("/findings/mine/"))
    assert "tone-muted" in page  # "waiting for the inspecting unit", whatever the language
    client.force_login(cast.users["ag_inspector"])
    page = html(client.get(f"/findings/{finding.pk}/"))
    assert "bien-ban-hop.pdf" in page and "anh-cuoc-hop.png" in page and f"/findings/{finding.pk}/accept/" in page
    # the timeline names the file after a colon, with no space before it ("minh chứng : bien-ban-hop.pdf")
    assert re.search(r"Đã bổ sung tài liệu minh chứng</strong>: bien-ban-hop\.pdf", page)
    response = client.post(f"/findings/{finding.pk}/reject/", {"reject-reason": ""})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    response = client.post(f"/findings/{finding.pk}/accept/", {"accept-note": "Đạt yêu cầu"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "accepted"
    page = html(client.post(f"/findings/{finding.pk}/reject/", {"reject-reason": "Muộn"}, follow=True))
    assert "message-error" in page and "ag_inspector" in page  # the conflict is told (who decided), not a crash
    assert Finding.objects.get(pk=finding.pk).status == "accepted"


def test_a_closed_finding_leaves_the_agencys_list_of_findings_to_act_on(client, cast):
    """Accepted findings were listed under "Findings to act on" with the others: they are counted below, folded."""
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    Finding.objects.filter(pk=finding.pk).update(status="accepted", closed_on=timezone.localdate())
    client.force_login(cast.users["ag_officer"])
    page = html(client.get("/findings/mine/"))
    to_act, _sep, closed = page.partition('id="closed"')
    assert f"/findings/{finding.pk}/" not in to_act and "Không có vấn đề tồn tại" in to_act
    assert f"/findings/{finding.pk}/" in closed and "1 vấn đề tồn tại đã đóng" in closed


def test_respond_with_a_lying_file_is_refused_in_the_page(client, cast, png_upload):
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    client.force_login(cast.users["ag_officer"])
    page = html(client.post(f"/findings/{finding.pk}/respond/", {
        "respond-action_taken": "Đã khắc phục", "respond-files": [png_upload("quyet-dinh.pdf")]}))
    assert "PNG" in page
    finding.refresh_from_db()
    assert finding.status == "open" and not finding.evidence.exists()


def test_a_file_of_a_kind_not_accepted_is_told_on_its_field(client, cast):
    """An evidence file of a kind not accepted (an .exe) is refused next to the file field, as any other refusal of
    the form: the message stood at the top of the form, apart from the field it is about."""
    world = build_world(cast)
    finding = world.findings["ag_stp"]
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00 not a document", content_type="application/octet-stream")
    client.force_login(cast.users["ag_officer"])
    page = html(client.post(f"/findings/{finding.pk}/respond/", {
        "respond-action_taken": "Đã khắc phục", "respond-files": [exe]}))
    accepted = "Chỉ chấp nhận các loại tệp: PDF, DOCX, XLSX, JPEG, PNG."
    assert re.search(r'name="respond-files"[^>]*>\s*(<small[^<]*</small>\s*)?<p class="field-error" role="alert">'
                     + re.escape(accepted), page), page[page.find("respond-files") - 200:][:1500]
    assert 'class="form-errors"' not in page
    assert "Đã khắc phục" in page  # what was typed stays
    client.force_login(cast.users["ag_inspector"])
    exe.seek(0)
    page = html(client.post(f"/findings/{finding.pk}/evidence/", {"evidence-file": exe, "evidence-note": "x"}))
    assert re.search(r'name="evidence-file"[^>]*>\s*<p class="field-error" role="alert">' + re.escape(accepted), page)
    assert not finding.evidence.exists()


def test_calendar_and_board(client, cast):
    world = build_world(cast)
    client.force_login(cast.users["ag_inspector"])
    page = html(client.get("/inspections/calendar/"))
    assert "Ủy ban nhân dân tỉnh An Giang" in page and "Sở Khoa học và Công nghệ" in page
    assert "Sở Tư pháp" not in page  # its record is signed: no longer upcoming
    assert "Cao Bằng" not in page
    page = html(client.get("/findings/"))
    assert "Sở Tư pháp" in page and "Sở Nội vụ" in page and "badge-bad" in page
    page = html(client.get("/findings/", {"agency": world.cast.agencies["ag_snv"].pk, "show": "overdue"}))
    assert page.count("/findings/" + str(world.findings["ag_snv"].pk) + "/") == 1
    assert "/findings/" + str(world.findings["ag_stp"].pk) + "/" not in page
    client.force_login(cast.users["ministry"])
    page = html(client.get("/findings/"))
    assert "An Giang" in page and "Cao Bằng" in page


def test_an_inspection_with_no_date_yet_is_listed_and_not_late(client, cast):
    """An unplanned inspection recorded without a visit date has no last day: it is neither late nor due for
    answers (the calendar summed NULL flags: a 500 for the whole province)."""
    from audits import services
    from audits.models import InspectionForm

    build_world(cast)
    inspection = services.inspection_create_unplanned(
        actor=cast.users["ag_inspector"], agency=cast.agencies["ag_snv"], form=InspectionForm.DOCUMENTS,
        reason="Phản ánh của người dân về thời hạn giải quyết thủ tục.")
    assert inspection.scheduled_on is None
    client.force_login(cast.users["ag_inspector"])
    for query in ({}, {"show": "overdue"}):
        response = client.get("/inspections/calendar/", query)
        assert response.status_code == 200, query
    late = [i.pk for inspections in dict(response.context["months"]).values() for i in inspections]
    assert inspection.pk not in late and response.context["overdue"] == len(late)  # (the overdue ones shown)
    page = html(client.get("/inspections/calendar/"))
    assert f"/inspections/{inspection.pk}/" in page
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200


def more_findings(world, count: int, *, agencies: int) -> list[Finding]:
    """`count` more overdue findings of An Giang, spread over `agencies` new agencies (in bulk: the board is tested,
    not the services)."""
    from tests.factories import AgencyFactory

    model = world.findings["ag_stp"]
    owners = [AgencyFactory(province=model.province) for _ in range(agencies)]
    today = timezone.localdate()
    return Finding.objects.bulk_create(
        Finding(inspection=model.inspection, province=model.province, agency=owners[n % agencies],
                responsible_agency=owners[n % agencies], number=100 + n,
                checklist_item=model.checklist_item, classification=model.classification, status="open",
                description=f"Vấn đề tồn tại số {n}", due_on=today - timedelta(days=n + 1),
                record_signed=model.record_signed)
        for n in range(count))


FINDING_LINK = re.compile(r'href="/findings/(\d+)/"')


def test_findings_board_is_paged_with_a_constant_number_of_queries(client, cast):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world(cast)
    client.force_login(cast.users["ag_inspector"])
    html(client.get("/findings/"))
    cache.clear()  # the table by agency is kept until a finding changes (test_board_kept.py): counted computed
    with CaptureQueriesContext(connection) as small:
        html(client.get("/findings/", {"show": "overdue"}))
    added = more_findings(world, 80, agencies=30)
    with CaptureQueriesContext(connection) as large:
        first = html(client.get("/findings/", {"show": "overdue"}))
    assert len(large.captured_queries) == len(small.captured_queries)

    overdue = set(Finding.objects.filter(province=cast.provinces["ag"]).overdue().values_list("pk", flat=True))
    assert {f.pk for f in added} <= overdue and len(overdue) > 50
    on_first = FINDING_LINK.findall(first)
    assert len(on_first) == 25
    assert 'href="?show=overdue&amp;page=2#findings" rel="next"' in first
    listed, number = list(on_first), 2
    while len(listed) < len(overdue):
        on_page = FINDING_LINK.findall(html(client.get("/findings/", {"show": "overdue", "page": number})))
        assert 0 < len(on_page) <= 25
        listed, number = listed + on_page, number + 1
    assert {int(pk) for pk in listed} == overdue and len(listed) == len(overdue)
    on_second = listed[25:]
    # earliest due first, across the pages
    due = dict(Finding.objects.filter(pk__in=overdue).values_list("pk", "due_on"))
    assert [due[int(pk)] for pk in on_first + on_second] == sorted(due.values())

    # the table by agency has its own pages (31 agencies with open findings, 25 a page) and keeps the filter; its
    # links to an agency's findings keep it too
    agency_link = re.compile(r'href="\?show=overdue&amp;(?:agencies_page=\d+&amp;)?agency=(\d+)#findings"')
    assert len(agency_link.findall(first)) == 25
    assert 'href="?show=overdue&amp;agencies_page=2#by-agency" rel="next"' in first
    agencies = html(client.get("/findings/", {"show": "overdue", "agencies_page": 2}))
    assert len(agency_link.findall(agencies)) == len({f.agency_id for f in Finding.objects.filter(
        province=cast.provinces["ag"]).exclude(status="accepted")}) - 25
    assert FINDING_LINK.findall(agencies) == on_first  # the other table stays where it was
    past_the_end = html(client.get("/findings/", {"show": "overdue", "agencies_page": 999}))
    assert agency_link.findall(past_the_end) == agency_link.findall(agencies)
    with_open = Finding.objects.filter(province=cast.provinces["ag"]).exclude(status="accepted")
    assert f"{with_open.values('agency_id').distinct().count()} cơ quan" in first  # counted with the page


def test_findings_board_filters_still_apply_with_pages(client, cast):
    world = build_world(cast)
    more_findings(world, 60, agencies=3)
    client.force_login(cast.users["ministry"])
    page = html(client.get("/findings/"))
    assert len(FINDING_LINK.findall(page)) == 25 and "Cao Bằng" in page
    snv = cast.agencies["ag_snv"]
    page = html(client.get("/findings/", {"agency": snv.pk, "show": "overdue"}))
    assert FINDING_LINK.findall(page) == [str(world.findings["ag_snv"].pk)]
    assert "page=2" not in page
    assert html(client.get("/findings/", {"page": "999"})).count('href="/findings/') >= 1  # the last page, no 404


def test_pdf_links_in_pages(client, cast, django_capture_on_commit_callbacks):
    world = build_world(cast)
    inspection = world.inspections["ag_stp"]
    # the task queued at signing never ran (no worker here): after a while the request is taken as lost
    InspectionRecord.objects.filter(inspection=inspection).update(pdf_requested_at=timezone.now() - timedelta(hours=1))
    client.force_login(cast.users["ag_head"])
    url = f"/inspections/{inspection.pk}/record.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
        # not ready yet: the progress bar of the reports, which polls the same link and downloads the file
        page = response.content.decode()
        assert response.status_code == 202 and "Tệp PDF đang được chuẩn bị" in page
        assert f'data-status-url="{url}"' in page and f'data-download-url="{url}"' in page
        assert '<progress max="100" value="5"' in page and "/static/js/reports.js" in page
        assert client.get(url, HTTP_ACCEPT="application/json").json() == {
            "status": "queued", "progress": 5, "status_label": "Đang chờ xử lý", "error": ""}
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "done"  # the task ran
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/inspections/plans/{world.plans['ag'].pk}/pdf/").status_code == 404  # agencies: no plans


def test_nav_has_the_inspection_pages(client, cast):
    client.force_login(cast.users["ag_inspector"])
    page = html(client.get("/"))
    assert 'href="/inspections/"' in page and 'href="/findings/"' in page


def test_templates_have_no_inline_scripts_or_styles():
    for path in TEMPLATES.rglob("*.html"):
        if "email" in path.parts or "pdf" in path.parts:
            continue  # e-mails need inline styles; PDFs are rendered by WeasyPrint, not a browser
        text = path.read_text()
        assert "<script" not in text, path
        assert not re.search(r"\sstyle=", text) and "<style" not in text, path
        assert "http://" not in text and "https://" not in text, path


def test_plan_list_page_creates_only_for_inspectors(client, units):
    client.force_login(units.users["ag_leader"])
    page = html(client.get("/inspections/plans/"))
    assert 'name="year"' not in page
    assert client.post("/inspections/plans/", {"year": 2026}).status_code == 403
    assert not InspectionPlan.objects.exists()
    future = timezone.localdate() + timedelta(days=400)
    client.force_login(units.users["ag_inspector"])
    assert client.post("/inspections/plans/", {"year": future.year}).status_code == 302


@pytest.mark.parametrize("role", ["ag_inspector", "ministry"])
def test_findings_board_by_agency_counts_and_orders_as_the_findings_say(cast, role):
    """The table by agency (grouped first, names joined after): every agency in scope with an open finding that
    has a due date, its counts as the findings themselves give them, most overdue first and ties by name, the
    same rows whatever the page."""
    from agencies.models import Agency
    from audits import selectors
    from audits.models import AWAITING_AGENCY

    world = build_world(cast)
    added = more_findings(world, 61, agencies=30)  # two overdue findings each (one has three): ties, by name
    Finding.objects.filter(pk__in=[f.pk for f in added[:5]]).update(status="responded")
    user = cast.users[role]
    today = timezone.localdate()
    active = selectors.findings_in_scope(user=user).exclude(status="accepted").filter(due_on__isnull=False)
    overdue = set(active.overdue(today).values_list("pk", flat=True))
    counts: dict[int, dict] = {}
    for finding in active:
        row = counts.setdefault(finding.agency_id, {"open": 0, "responded": 0, "overdue": 0})
        row["open"] += finding.status in AWAITING_AGENCY
        row["responded"] += finding.status == "responded"
        row["overdue"] += finding.pk in overdue
    by_name = list(Agency.objects.filter(pk__in=counts).order_by("name", "pk").values_list("pk", flat=True))
    expected = sorted(counts, key=lambda pk: (-counts[pk]["overdue"], by_name.index(pk)))

    rows = selectors.findings_board(user=user, today=today)
    listed = rows[0:25] + rows[25:50] + rows[50:75]
    assert [row["agency_id"] for row in listed] == expected
    assert {row["matches"] for row in listed} == {len(expected)} == {rows.count()}
    for row in listed:
        assert {key: row[key] for key in ("open", "responded", "overdue")} == counts[row["agency_id"]]
        agency = Agency.objects.select_related("province").get(pk=row["agency_id"])
        assert (row["agency__name"], row["province__name"]) == (agency.name, agency.province.name)
    provinces = {row["province__name"] for row in listed}
    assert ("Cao Bằng" in provinces) == (role == "ministry") and "An Giang" in provinces
    assert rows[1000:1025] == []


def test_finding_status_badges_follow_the_language_and_the_state():
    from types import SimpleNamespace

    from django.utils import translation

    from audits.templatetags.findings import finding_status

    late = SimpleNamespace(status="rejected", is_overdue=True)
    done = SimpleNamespace(status="accepted", is_overdue=False)
    with translation.override("vi"):
        vi = finding_status(late)
        assert finding_status(done) == '<span class="badge badge-ok">Đã chấp nhận (đã đóng)</span>'
    with translation.override("en"):
        assert finding_status(late) == ('<span class="badge badge-bad">Overdue</span>\n'
                                        '<span class="badge badge-warn">Not accepted</span>')
    assert vi == ('<span class="badge badge-bad">Quá hạn</span>\n'
                  '<span class="badge badge-warn">Không được chấp nhận</span>')
    assert finding_status(SimpleNamespace(status="responded")) == f'<span class="badge">{_label("responded")}</span>'


def _label(status: str) -> str:
    from audits.models import FindingStatus

    return str(FindingStatus(status).label)




def test_the_way_an_inspection_is_done_is_its_form_of_inspection_not_a_template(client, units):
    """"Form" (by documents / on site) was translated as "Biểu mẫu", the word for a template document (the QMS
    file's document kind, which shared the string): a plan read "Biểu mẫu: Qua hồ sơ"."""
    from tests.audits.conftest import approved_plan, draft_plan

    client.force_login(units.users["cb_inspector"])
    page = html(client.get(f"/inspections/plans/{draft_plan(units, 'cb').pk}/"))
    assert "Biểu mẫu" not in page
    assert page.count("Hình thức kiểm tra") >= 3  # the entries' column, its label on a phone, the form's field
    client.force_login(units.users["ag_inspector"])
    inspection = approved_plan(units, "ag").inspections.first()
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    assert "Biểu mẫu" not in page and "Hình thức kiểm tra" in page


def test_a_decided_inspection_is_rescheduled_within_its_decision(client, open_world):
    """The date picker offers the decision's period; a day outside it is refused on the page, in Vietnamese, and
    the inspection keeps its day."""
    inspection = open_world.inspections["ag_stp"]
    decision = inspection.decision
    client.force_login(open_world.cast.users["ag_inspector"])
    page = html(client.get(f"/inspections/{inspection.pk}/"))
    day = decision.starts_on.isoformat()
    assert re.search(rf'name="schedule-scheduled_on"[^>]*min="{day}"[^>]*max="{decision.ends_on.isoformat()}"', page)
    assert (f"Trong thời gian của quyết định {decision.number}: từ {decision.starts_on:%d/%m/%Y} đến "
            f"{decision.ends_on:%d/%m/%Y}.") in page
    response = client.post(f"/inspections/{inspection.pk}/schedule/", {
        "schedule-scheduled_on": (decision.ends_on + timedelta(days=1)).isoformat(), "schedule-location": ""})
    assert f"Quyết định {decision.number} ấn định thời gian kiểm tra" in html(response)
    inspection.refresh_from_db()
    assert inspection.scheduled_on == decision.starts_on


def test_the_plans_texts_refused_are_shown_open(client, units):
    """The texts printed in the plan sit in a folded section: refused, they came back folded, and the inspector saw
    the page again with no word of why nothing was saved. Refused, the section is open on its errors."""
    cast = units
    client.force_login(cast.users["ag_inspector"])
    client.post("/inspections/plans/", {"year": 2026})
    plan = InspectionPlan.objects.get(province=cast.provinces["ag"], year=2026)
    page = html(client.get(f"/inspections/plans/{plan.pk}/"))
    assert re.search(r"<details>\s*<summary>Nội dung in trong kế hoạch", page)  # folded while nothing is wrong
    response = client.post(f"/inspections/plans/{plan.pk}/texts/", {"texts-purpose": "Mục đích\x01",
                                                                    "texts-signer_name": "Nguyễn Văn A"})
    page = html(response)
    assert re.search(r"<details open>\s*<summary>Nội dung in trong kế hoạch", page)
    assert "Văn bản chứa ký tự điều khiển không được phép." in page and "Nguyễn Văn A" in page
