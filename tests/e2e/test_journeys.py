"""The three journeys of issue 8 in headless Chromium, against a live server.

1. The ISO officer of Sở Tư pháp (An Giang) sees what is due, updates the QMS file, uploads a file, answers a
   finding with evidence and drafts the periodic report; the head of the agency submits it.
2. The inspector, on a 360 x 780 phone, sees the plan and the calendar, fills the 13-item checklist, records a
   finding with a photo and signs the inspection record.
3. The department leader reads the province dashboard (Chart.js: the QMS, findings open and overdue by month,
   report completeness by period, each with its table), requests the consolidated report, watches
   its progress bar reach "done", downloads the PDF and the XLSX and checks the verification page.

Every main page is checked on the way (axe-core: no serious violations; no sideways scroll on a phone; no
English words or raw codes on a Vietnamese page; dates as dd/mm/yyyy) and photographed under
test-artifacts/screenshots/. The checks are collected and asserted at the end of each journey, so that one
problem does not hide the next ones; the functional steps assert at once.

The data an actor would have made earlier (the plan, the decision, the signed record) is made through the
services, with dates relative to today. Celery runs eagerly in tests, so the live server compiles the
consolidated report inside the request; the `services` variant of journey 3 uses a real worker process on
Redis and PostgreSQL and watches the bar move.
"""

import hashlib
import io
import re
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from agencies.models import AgencyObligation, ObligationLevel, ObligationYear, ObligationYearState
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import ARTIFACTS, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# English UI words and raw stage codes, which never occur in Vietnamese prose (with or without diacritics).
ENGLISH = re.compile(r"(?<![\w.-])(the|your|and|was|were|has|been|this|with|from|yet|will|agency|inspection|"
                     r"finding|report|submit|save|upload|download|record|checklist|status|details|deadline|"
                     r"draft|created|edited|submitted|accepted|returned|reopened|not_started|building|applying|"
                     r"announced|maintaining)(?![\w-]|\.\w)",  # not inside file names such as "anh-...-yet.jpg"
                     re.IGNORECASE)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# What makes a phone page scroll sideways: the elements whose own content is wider than the screen allows.
WIDE_ELEMENTS = """(width) => [...document.querySelectorAll('#main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => { const r = document.createRange(); r.selectNodeContents(e);
                return [e, Math.round(r.getBoundingClientRect().width)]; })
    .filter(([e, content]) => content > width * 0.6 && ![...e.children].some(c => c.getBoundingClientRect().width
                                                                            > width * 0.6))
    .slice(0, 4).map(([e, content]) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
         + (e.dataset.testid ? '[data-testid=' + e.dataset.testid + ']' : '') + ' ' + content + 'px')"""


# --- pages, checks and screenshots ---------------------------------------------------------------------------


@pytest.fixture
def pages(browser, live_server, request):
    """Like `page_factory`, with CSP bypassed so that axe-core can be injected, and downloads accepted."""
    made = []

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                      base_url=live_server.url, bypass_csp=True, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        made.append(page)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(made):
        if failed:
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}-{index}.png"), full_page=True)
        page.context.close()


class Checks:
    """Problems found on the main pages of a journey; asserted empty at its end."""

    def __init__(self):
        self.problems: list = []

    def page(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        shot(page, name)
        path = page.url.split("://", 1)[-1].split("/", 1)[-1]
        found = serious_violations(page)
        if found:
            self.problems.append(("axe", name, "/" + path, found))
        width = page.viewport_size["width"]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            wide = page.evaluate(WIDE_ELEMENTS, width)
            self.problems.append(("scrolls sideways", name, "/" + path, f"{scroll}px > {width}px", wide))
        english = self.english(page)
        if english:
            self.problems.append(("English on a Vietnamese page", name, "/" + path, english))
        iso = sorted(set(ISO_DATE.findall(page.locator("#main").inner_text())))
        if iso:
            self.problems.append(("dates not shown as dd/mm/yyyy", name, "/" + path, iso))

    @staticmethod
    def english(page) -> list[str]:
        """Lines of the page (text, labels, placeholders, button values) that read as English."""
        text = page.evaluate("""() => {
            const skip = 'code, script, style, [data-testid=verification-code], [hidden]';
            const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
            const texts = [];
            while (walker.nextNode()) {
                if (!walker.currentNode.parentElement.closest(skip)) { texts.push(walker.currentNode.data); }
            }
            const extra = [...document.querySelectorAll('main [aria-label], main [placeholder], title')]
                .map(e => e.getAttribute('aria-label') || e.getAttribute('placeholder') || e.textContent);
            return [...texts, document.title, ...extra].join('\\n');
        }""")
        lines = {line.strip() for line in unicodedata.normalize("NFC", text).splitlines()}
        return sorted(line[:120] for line in lines if line and ENGLISH.search(line))[:12]

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(map(repr, self.problems))


def view(page, selector: str, name: str) -> None:
    """A screenshot of what the screen shows around `selector` (a full phone page is too long to read)."""
    page.locator(selector).evaluate("e => (e.closest('fieldset, section') || e).scrollIntoView({block: 'center'})")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def go(target) -> None:
    """Click a link or a submit button and wait for the page it leads to (often the same URL again)."""
    with target.page.expect_navigation():
        target.click()


def assert_at(page, path: str) -> None:
    assert page.url.split("#")[0].endswith(path), (page.url, path)


def confirm(page, trigger, *, says: str) -> None:
    """A step that cannot be undone: the button opens a dialog that says what will happen (`says`); its own submit
    button sends the form."""
    trigger.click()
    dialog = page.locator("dialog[open]")
    assert says in dialog.inner_text(), dialog.inner_text()
    go(dialog.locator("button[data-confirmed]"))


def click_main(page, selector: str) -> None:
    """Submit or follow inside #main (the header has its own language form and submit button)."""
    go(page.locator("#main").locator(selector).first)


def photo(fmt: str) -> bytes:
    """A real, tiny photo (a colour gradient) as a phone camera would give: PNG or JPEG."""
    from PIL import Image

    image = Image.new("RGB", (96, 64))
    image.putdata([(x * 2, y * 3, 120) for y in range(64) for x in range(96)])
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


# --- the data made earlier by other actors ----------------------------------------------------------------


def reference_data() -> None:
    """The checklist and finding classes come from a data migration that a transactional test flushes."""
    from audits.checklist_data import load_reference_data
    from audits.models import ChecklistItem, ChecklistVersion, FindingClass

    load_reference_data(ChecklistVersion=ChecklistVersion, ChecklistItem=ChecklistItem, FindingClass=FindingClass)


def obligations(cast, year: int) -> None:
    for key in ("ag_ubnd", "ag_skhcn", "ag_stp", "ag_snv"):
        AgencyObligation.objects.get_or_create(agency=cast.agencies[key], year=year,
                                               defaults={"level": ObligationLevel.MANDATORY})
    ObligationYear.objects.get_or_create(province=cast.provinces["ag"], year=year, defaults={
        "state": ObligationYearState.CONFIRMED, "confirmed_at": timezone.now()})


def inspection_of_stp(cast, *, visit: date):
    """An Giang's approved plan for the year of `visit` (STP and SNV on site, the rest by documents) and the
    decision for the on-site inspection of Sở Tư pháp on `visit`."""
    from audits import services
    from audits.models import InspectionForm
    from tests.audits.conftest import setup_province

    reference_data()
    setup_province(cast, "ag")
    obligations(cast, visit.year)
    inspector, leader = cast.users["ag_inspector"], cast.users["ag_leader"]
    plan = services.plan_create(actor=inspector, year=visit.year, province=cast.provinces["ag"])
    for key, form in (("stp", InspectionForm.ON_SITE), ("snv", InspectionForm.ON_SITE),
                      ("ubnd", InspectionForm.DOCUMENTS), ("skhcn", InspectionForm.DOCUMENTS)):
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies[f"ag_{key}"], data={
            "form": form, "expected_from": visit, "expected_to": visit, "cooperating_unit": "Sở Nội vụ",
            "budget_vnd": 2_500_000})
    approved = visit - timedelta(days=30)
    services.plan_submit(actor=inspector, plan=plan, today=approved)
    services.plan_approve(actor=leader, plan=plan, approval_number="215/QĐ-UBND", approval_date=approved,
                          today=approved)
    inspection = plan.inspections.get(agency=cast.agencies["ag_stp"])
    decided = visit - timedelta(days=7)
    services.decision_issue(actor=inspector, inspections=[inspection], issued_on=decided, starts_on=visit,
                            ends_on=visit, team_leader="Lê Minh Tuấn", team_leader_position="Phó Chi cục trưởng",
                            members=[{"name": "Nguyễn Văn An", "position": "Chuyên viên", "role": "secretary"}],
                            today=decided)
    inspection.refresh_from_db()
    return plan, inspection


def signed_inspection_with_a_finding(cast, *, visit: date):
    """The inspection of Sở Tư pháp, checked and signed on `visit`, with one nonconformity on item 5."""
    from audits import services
    from audits.models import ChecklistItem, FindingClass

    plan, inspection = inspection_of_stp(cast, visit=visit)
    inspector = cast.users["ag_inspector"]
    items = {i.code: i for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)}
    review = "review-audit-corrective-action"
    services.record_save(actor=inspector, inspection=inspection, results=[
        {"item": code, "result": "partly" if code == review else "met",
         "notes": "Chưa tổ chức xem xét của lãnh đạo." if code == review else ""} for code in items],
        data={"agency_representative": "Trần Văn Hùng", "agency_representative_position": "Giám đốc"})
    finding = services.finding_create(
        actor=inspector, inspection=inspection, checklist_item=items[review],
        classification=FindingClass.objects.get(code="nonconformity"), clause="9.3",
        description="Chưa tổ chức xem xét của lãnh đạo trong năm.", today=visit)
    services.record_sign(actor=inspector, inspection=inspection, signed_on=visit, today=visit)
    finding.refresh_from_db()
    return inspection, finding


def checklist_requested(cast, *, today: date):
    """An unplanned inspection of Sở Tư pháp by documents, after a complaint: the checklist is due in 10 days."""
    from audits import services
    from audits.models import InspectionForm

    inspector = cast.users["ag_inspector"]
    inspection = services.inspection_create_unplanned(
        actor=inspector, agency=cast.agencies["ag_stp"], form=InspectionForm.DOCUMENTS,
        reason="Phản ánh của người dân về thời hạn giải quyết thủ tục.", scheduled_on=today + timedelta(days=20))
    services.report_request_send(actor=inspector, inspections=[inspection], deadline=today + timedelta(days=10))
    inspection.refresh_from_db()
    return inspection


def open_period(cast, today: date):
    """The annual reporting period of An Giang, open now, due in 25 days."""
    from reports.models import PeriodKind, ReportingPeriod

    return ReportingPeriod.objects.create(
        province=cast.provinces["ag"], year=today.year, kind=PeriodKind.ANNUAL,
        window_start=date(today.year - 1, 12, 15), window_end=today + timedelta(days=20),
        deadline=today + timedelta(days=25))


# --- journey 1: the agency's ISO officer, then its head ----------------------------------------------------


def test_officer_answers_a_finding_and_the_head_submits_the_report(pages, cast, tmp_path):
    from audits.models import Finding, FindingStatus
    from reports.models import AgencyReport, AgencyReportStatus
    from tests.reports.conftest import give_qms

    today = timezone.localdate()
    stp = cast.agencies["ag_stp"]
    give_qms(stp, today=today, covered=3, total=3, audit=False)  # maintained, but no review this year
    _inspection, finding = signed_inspection_with_a_finding(cast, visit=today - timedelta(days=14))
    unplanned = checklist_requested(cast, today=today)
    period = open_period(cast, today)
    checks = Checks()
    due = finding.due_on.strftime("%d/%m/%Y")

    page = pages()
    page.goto("/accounts/login/")
    checks.page(page, "journey1-01-login")
    login(page, "ag_officer")
    assert page.locator("#main h2", has_text="Sở Tư pháp").count() == 1
    checks.page(page, "journey1-02-officer-home")
    home = page.locator("#main").inner_text()
    if due not in home or period.deadline.strftime("%d/%m/%Y") not in home:
        checks.problems.append(("what is due is not on the officer's home page", "journey1-02-officer-home", "/",
                                f"expected the open finding (due {due}) and the next report "
                                f"(deadline {period.deadline:%d/%m/%Y})"))

    # What is due, 1: the QMS file's compliance checklist says the management review is missing.
    go(page.locator("#main a", has_text="Mở hồ sơ HTQLCL"))
    page.wait_for_url(f"**/agencies/{stp.pk}/qms/")
    assert page.locator('[data-rule="management_review"]').get_attribute("data-met") == "0"
    assert page.locator('[data-rule="announced"]').get_attribute("data-met") == "1"
    checks.page(page, "journey1-03-officer-qms-file")

    # What is due, 2: the open finding with its due date and the next step.
    page.goto("/inspections/")
    page.wait_for_url("**/findings/mine/")
    card = page.locator("#main .finding-card").first
    assert "Chưa tổ chức xem xét của lãnh đạo" in card.inner_text()
    assert due in card.inner_text()
    assert card.locator(".next-step.tone-warn").count() == 1
    checks.page(page, "journey1-04-officer-findings")

    # What is due, 3: the checklist of an unplanned inspection to answer by its deadline.
    asked = page.locator("#main .cal-list li", has=page.locator(f"a[href='/inspections/{unplanned.pk}/']"))
    assert unplanned.report_request.deadline.strftime("%d/%m/%Y") in asked.locator(".next-step").inner_text()
    go(asked.locator("a").first)
    form = page.locator("#self-assessment form")
    assert form.locator("input[name='self-result_scope-covers-procedures'][value=met]").is_checked()  # prefilled
    form.locator("input[name='self-result_documents-rolled-out'][value=met]").check()
    form.locator("#id_self-explanation_documents-rolled-out").fill("Đã phổ biến tài liệu đến toàn bộ công chức.")
    rollout = tmp_path / "danh-sach-pho-bien-tai-lieu.pdf"
    rollout.write_bytes(PDF)
    form.locator("#id_self-file_documents-rolled-out").set_input_files(str(rollout))
    go(form.locator("button[type=submit]:not([formaction])").first)
    assert page.locator("#self-assessment a", has_text="danh-sach-pho-bien-tai-lieu.pdf").count() == 1
    checks.page(page, "journey1-05-officer-self-assessment")

    # What is due, 4: the next periodic report, its deadline, not started.
    page.goto("/reports/")
    row = page.locator("#main table tbody tr").first
    assert period.deadline.strftime("%d/%m/%Y") in row.inner_text()
    assert row.locator(".badge-warn").count() == 1  # not started
    checks.page(page, "journey1-06-officer-reports")

    # The QMS file: the management review is held and recorded; the checklist item turns green.
    page.goto(f"/agencies/{stp.pk}/qms/management-reviews/add/")
    page.fill("#id_held_on", (today - timedelta(days=2)).isoformat())
    page.fill("#id_chair", "Trần Văn Hùng")
    click_main(page, "form button[type=submit]")
    assert page.url.endswith(f"/agencies/{stp.pk}/qms/#management-reviews")
    assert page.locator('[data-rule="management_review"]').get_attribute("data-met") == "1"

    # ... and a document of the system, with its file.
    page.goto(f"/agencies/{stp.pk}/qms/documents/add/")
    page.select_option("#id_kind", "system_process")
    page.fill("#id_code", "QT-XXL-01")
    page.fill("#id_title", "Quy trình xem xét của lãnh đạo")
    page.select_option("#id_status", "in_force")
    page.fill("#id_issued_on", (today - timedelta(days=3)).isoformat())
    click_main(page, "form button[type=submit]")
    page.wait_for_url(re.compile(r"/qms/documents/\d+/$"))
    process = tmp_path / "quy-trinh-xem-xet-lanh-dao.pdf"
    process.write_bytes(PDF)
    page.set_input_files("#id_file", str(process))
    click_main(page, "form[enctype='multipart/form-data'] button[type=submit]")
    assert page.locator("#main a", has_text="quy-trinh-xem-xet-lanh-dao.pdf").count() == 1
    checks.page(page, "journey1-07-officer-document-uploaded")

    # The finding: the corrective action, with the minutes of the review as evidence.
    page.goto(f"/findings/{finding.pk}/")
    checks.page(page, "journey1-08-officer-finding")
    minutes = tmp_path / "bien-ban-xem-xet-lanh-dao.pdf"
    minutes.write_bytes(PDF)
    page.fill("#id_respond-action_taken", "Đã tổ chức xem xét của lãnh đạo; biên bản kèm theo.")
    page.fill("#id_respond-cause", "Chưa phân công người theo dõi lịch xem xét.")
    page.set_input_files("#id_respond-files", str(minutes))
    click_main(page, "#respond button[type=submit]")
    assert_at(page, f"/findings/{finding.pk}/")
    assert page.locator("#main .files a", has_text="bien-ban-xem-xet-lanh-dao.pdf").count() >= 1
    assert page.locator("#respond").count() == 0  # nothing more to send
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESPONDED
    checks.page(page, "journey1-09-officer-finding-answered")

    # The periodic report, prefilled from the QMS file; the officer drafts it but cannot submit it.
    page.goto(f"/reports/periods/{period.pk}/")
    checks.page(page, "journey1-10-officer-period")
    click_main(page, f"form[action='/reports/periods/{period.pk}/my-report/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/agency/\d+/$"))
    report = AgencyReport.objects.get(period=period, agency=stp)
    page.fill("#id_difficulties", "Cán bộ đầu mối ISO kiêm nhiệm nhiều việc.")
    page.fill("#id_proposals", "Đề nghị Sở KH&CN tổ chức tập huấn đánh giá nội bộ.")
    page.fill("#id_funding_maintenance", "12000000")
    click_main(page, "form:has(#id_difficulties) button[type=submit]")
    assert_at(page, f"/reports/agency/{report.pk}/")
    assert page.locator("#id_difficulties").input_value() == "Cán bộ đầu mối ISO kiêm nhiệm nhiều việc."
    assert page.locator(f"#main form[action='/reports/agency/{report.pk}/submit/']").count() == 0
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.DRAFT and report.funding == {"maintenance": 12_000_000}
    assert len(report.data["management_reviews"]) == 1  # the review recorded a moment ago
    checks.page(page, "journey1-11-officer-report-draft")

    # The head of the agency reads it and submits it, on time.
    head = pages()
    login(head, "ag_head")
    head.goto("/reports/")
    go(head.locator("#main table tbody tr").first.locator(f"a[href='/reports/agency/{report.pk}/']"))
    assert head.locator("#id_proposals").input_value() == "Đề nghị Sở KH&CN tổ chức tập huấn đánh giá nội bộ."
    confirm(head, head.locator(f"#main form[action='/reports/agency/{report.pk}/submit/'] button[data-confirm]"),
            says="không sửa được nữa")
    assert_at(head, f"/reports/agency/{report.pk}/")
    assert head.locator("#main .badge-ok").count() == 1  # on time
    assert head.locator("#main form[action$='/submit/']").count() == 0
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.SUBMITTED and report.on_time
    assert report.submitted_by == cast.users["ag_head"]
    checks.page(head, "journey1-12-head-report-submitted")

    checks.assert_clean()


# --- journey 2: the inspector, on a phone ------------------------------------------------------------------


def test_inspector_on_a_phone_checks_records_a_finding_with_a_photo_and_signs(pages, cast, tmp_path):
    from audits.models import ChecklistItem, Finding, FindingEvidence, InspectionStatus

    today = timezone.localdate()
    plan, inspection = inspection_of_stp(cast, visit=today)
    items = list(ChecklistItem.objects.filter(version_id=inspection.checklist_version_id).order_by("number"))
    assert len(items) == 13
    checks = Checks()

    page = pages(360, 780)
    page.goto("/accounts/login/")
    checks.page(page, "journey2-01-phone-login")
    login(page, "ag_inspector")

    # The plan of the year, then the calendar with today's visit.
    page.goto("/inspections/plans/")
    go(page.locator(f"#main a[href='/inspections/plans/{plan.pk}/']").first)
    page.wait_for_url(f"**/inspections/plans/{plan.pk}/")
    assert page.locator("#main", has_text="Sở Tư pháp").count() == 1
    checks.page(page, "journey2-02-phone-plan")
    page.goto("/inspections/")
    page.wait_for_url("**/inspections/calendar/")
    entry = page.locator("#main .cal-list li", has_text="Sở Tư pháp")
    assert today.strftime("%d/%m/%Y") in entry.inner_text()
    checks.page(page, "journey2-03-phone-calendar")
    go(entry.locator("a").first)
    assert_at(page, f"/inspections/{inspection.pk}/")
    checks.page(page, "journey2-04-phone-inspection")

    # The checklist: 13 items, item 5 partly met with a note; the agency's representative in the details.
    form = page.locator("#checklist form")
    for item in items:
        result = "partly" if item.code == "review-audit-corrective-action" else "met"
        form.locator(f"input[type=radio][name='check-result_{item.code}'][value='{result}']").check()
    form.locator("#id_check-notes_review-audit-corrective-action").fill(
        "Chưa tổ chức xem xét của lãnh đạo trong năm.")
    form.locator("#id_record-agency_representative").fill("Trần Văn Hùng")  # open, not behind a summary
    form.locator("#id_record-agency_representative_position").fill("Giám đốc")
    go(form.locator("button[type=submit]"))
    assert_at(page, f"/inspections/{inspection.pk}/")
    assert page.locator("#checklist input[type=radio]:checked[value=met]").count() == 12
    assert page.locator("#checklist input[type=radio]:checked[value=partly]").count() == 1
    checks.page(page, "journey2-05-phone-checklist")
    view(page, "#id_check-notes_review-audit-corrective-action", "journey2-05-phone-checklist-item-5")

    # A finding on item 5.
    findings = page.locator("#findings")
    findings.locator("#id_finding-checklist_item").select_option("review-audit-corrective-action")
    findings.locator("#id_finding-classification").select_option("nonconformity")
    findings.locator("#id_finding-clause").fill("9.3")
    findings.locator("#id_finding-description").fill("Chưa tổ chức xem xét của lãnh đạo trong năm.")
    go(findings.locator("button[type=submit]"))
    assert_at(page, f"/inspections/{inspection.pk}/")
    finding = Finding.objects.get(inspection=inspection)
    assert page.locator("#findings .finding-card").count() == 1

    # Two photos of the visit as the team's evidence.
    go(page.locator(f"#findings a[href='/findings/{finding.pk}/']"))
    assert_at(page, f"/findings/{finding.pk}/")
    for name, body, note in (("anh-so-theo-doi.png", photo("PNG"), "Sổ theo dõi xem xét của lãnh đạo"),
                             ("anh-bang-niem-yet.jpg", photo("JPEG"), "Bảng niêm yết tại bộ phận một cửa")):
        picture = tmp_path / name
        picture.write_bytes(body)
        page.set_input_files("#id_evidence-file", str(picture))
        page.fill("#id_evidence-note", note)
        click_main(page, "form:has(#id_evidence-file) button[type=submit]")
        assert_at(page, f"/findings/{finding.pk}/")
        assert page.locator("#main .files a", has_text=name).count() == 1
    assert sorted(FindingEvidence.objects.filter(finding=finding).values_list("side", "file__kind")) == [
        ("inspector", "jpeg"), ("inspector", "png")]
    checks.page(page, "journey2-06-phone-finding-photos")

    # Sign the record today; the finding is due two months later.
    page.goto(f"/inspections/{inspection.pk}/#sign")
    sign = page.locator("#sign")
    assert sign.locator("#id_sign-signed_on").input_value() == today.isoformat()
    assert sign.locator("#id_sign-agency_representative").input_value() == "Trần Văn Hùng"
    confirm(page, sign.locator("button[data-confirm]"), says="trong vòng 2 tháng")
    assert_at(page, f"/inspections/{inspection.pk}/")
    inspection.refresh_from_db()
    finding.refresh_from_db()
    assert inspection.status == InspectionStatus.SIGNED and inspection.record.number
    assert finding.due_on and finding.due_on > today
    assert page.locator("#sign").count() == 0 and page.locator("#checklist form").count() == 0
    assert page.locator(f"#main a[href='/inspections/{inspection.pk}/record.pdf']").count() == 1
    checks.page(page, "journey2-07-phone-signed")

    checks.assert_clean()


# --- journey 3: leadership ---------------------------------------------------------------------------------


def leadership_world(cast):
    """Two agencies maintaining a QMS, the inspection of STP signed, STP's report submitted on time."""
    from reports import services as reports
    from tests.reports.conftest import give_qms

    today = timezone.localdate()
    give_qms(cast.agencies["ag_stp"], today=today, covered=2, total=3)
    give_qms(cast.agencies["ag_skhcn"], today=today)
    signed_inspection_with_a_finding(cast, visit=today - timedelta(days=14))
    obligations(cast, today.year)
    period = open_period(cast, today)
    report = reports.agency_report_create(actor=cast.users["ag_officer"], period=period,
                                          agency=cast.agencies["ag_stp"])
    reports.agency_report_update(actor=cast.users["ag_officer"], report=report,
                                 data={"difficulties": "Không", "proposals": "Không"})
    reports.agency_report_submit(actor=cast.users["ag_head"], report=report)
    return period


def charts_drawn(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')].map(c => ({
        id: c.dataset.chart, width: c.width, height: c.height,
        drawn: !!(window.Chart && window.Chart.getChart(c)),
        bars: window.Chart && window.Chart.getChart(c)
              ? window.Chart.getChart(c).getDatasetMeta(0).data.length : 0}))""")


def leadership_journey(pages, cast, *, name: str, watch_progress: bool) -> None:
    from pypdf import PdfReader

    from reports.models import ConsolidatedReport, ReportStatus

    today = timezone.localdate()
    period = leadership_world(cast)
    checks = Checks()

    page = pages(1280, 900)
    login(page, "ag_leader")
    page.wait_for_function("window.Chart && document.querySelectorAll('canvas[data-chart]').length >= 3")
    page.wait_for_function("[...document.querySelectorAll('canvas[data-chart]')]"
                           ".every(c => window.Chart.getChart(c))")
    charts = charts_drawn(page)
    assert {"chart-stage", "chart-edition", "chart-activity", "chart-findings", "chart-reports"} <= {
        c["id"] for c in charts}, charts
    assert all(c["drawn"] and c["width"] > 0 and c["height"] > 0 and c["bars"] > 0 for c in charts), charts
    # Every chart has its numbers beside it, in a table behind "the numbers".
    tables = page.evaluate("""() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {
        const table = c.closest('section').querySelector('details table');
        return [c.dataset.chart, table ? table.querySelectorAll('tbody tr').length : 0]; })""")
    assert all(rows > 0 for _id, rows in tables), tables
    assert dict(tables)["chart-findings"] == 12 and dict(tables)["chart-reports"] == 1, tables
    findings = page.evaluate("JSON.parse(document.getElementById('chart-findings').textContent)")
    # The finding recorded two weeks ago is open and not due yet.
    assert [set["data"][-1] for set in findings["datasets"]] == [0, 1], findings
    checks.page(page, f"{name}-01-leadership-dashboard")

    # A bar of the reports chart leads to the period's completeness page, where the missing agencies are named.
    bar = page.evaluate("""() => {
        const chart = window.Chart.getChart(document.querySelector('canvas[data-chart=chart-reports]'));
        const p = chart.getDatasetMeta(0).data[0].getCenterPoint();
        return {x: p.x, y: p.y, link: chart.data.datasets[0].links[0], missing: chart.data.datasets[0].data[0]};
    }""")
    assert bar["link"] == f"/reports/periods/{period.pk}/" and bar["missing"] == 3, bar
    with page.expect_navigation():
        page.locator("canvas[data-chart=chart-reports]").click(position={"x": bar["x"], "y": bar["y"]})
    assert_at(page, bar["link"])
    assert "Sở Nội vụ" in page.locator("#h-missing").locator("xpath=..").inner_text()
    page.goto("/")
    page.wait_for_function("window.Chart && document.querySelector('canvas[data-chart=chart-stage]')"
                           " && window.Chart.getChart(document.querySelector('canvas[data-chart=chart-stage]'))")

    # A bar of the stage chart leads to the agencies behind it: the two that maintain their system.
    bar = page.evaluate("""() => {
        const chart = window.Chart.getChart(document.querySelector('canvas[data-chart=chart-stage]'));
        for (const [i, set] of chart.data.datasets.entries()) {
            const j = set.data.findIndex(n => n === 2);
            if (j >= 0) { const p = chart.getDatasetMeta(i).data[j].getCenterPoint();
                          return {x: p.x, y: p.y, link: set.links[j], label: set.label}; }
        }
    }""")
    assert bar and "stage=maintaining" in bar["link"], bar
    with page.expect_navigation():
        page.locator("canvas[data-chart=chart-stage]").click(position={"x": bar["x"], "y": bar["y"]})
    assert page.url.endswith(bar["link"])
    listed = page.locator("#main").inner_text()
    assert "Sở Tư pháp" in listed and "Sở Khoa học và Công nghệ" in listed and "Sở Nội vụ" not in listed

    # The consolidated report: requested from the reports page with the suggested wording.
    page.goto("/reports/")
    click_main(page, "a[href='/reports/consolidated/new/']")
    page.wait_for_url("**/reports/consolidated/new/")
    assert page.locator("#id_period_pick").input_value() == str(period.pk)
    checks.page(page, f"{name}-02-leadership-request")
    page.fill("#id_signer_name", "Nguyễn Thanh Bình")
    page.select_option("#id_signing_capacity", "kt")  # Decree 30 forms of the issuing body (issue 14)
    confirm(page, page.locator("#main form[method=post] button[data-confirm]"), says="được cấp số")
    page.wait_for_url(re.compile(r"/reports/consolidated/\d+/$"))
    report = ConsolidatedReport.objects.get(period=period, kind="provincial")
    status = page.locator("#report-status")
    if watch_progress:
        # With a real worker the page opens before the report is made: the bar moves, then the page reloads.
        from playwright.sync_api import Error as PlaywrightError

        assert status.get_attribute("data-status") in ("queued", "running")
        shot(page, f"{name}-03-report-progress")
        seen, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                value = page.locator("[data-role=progress]").get_attribute("value", timeout=2000)
                seen += [value] if not seen or seen[-1] != value else []
                if status.get_attribute("data-status", timeout=2000) == "done":
                    break
            except PlaywrightError:  # the page is reloading
                pass
            page.wait_for_timeout(100)
        assert seen and seen[0] != "100", seen  # the bar showed the work under way; 100 is checked below
    page.wait_for_selector("#report-status[data-status=done] [data-role=downloads]:not([hidden])", timeout=120000)
    assert status.locator("progress").get_attribute("value") == "100"
    assert status.locator("[data-role=percent]").inner_text() == "100%"
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    number = page.locator("[data-testid=number]").inner_text()
    assert number == report.number == "01/BC-SKHCN"
    checks.page(page, f"{name}-04-report-done")

    # Both files, downloaded as a user would.
    with page.expect_download() as pdf_download:
        page.locator(f"#main a[href='/reports/consolidated/{report.pk}/download/pdf/']").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf_download.value.suggested_filename.endswith(".pdf") and pdf.startswith(b"%PDF")
    with page.expect_download() as xlsx_download:
        page.locator(f"#main a[href='/reports/consolidated/{report.pk}/download/xlsx/']").click()
    xlsx = Path(xlsx_download.value.path()).read_bytes()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")

    pages_text = [unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    first, whole = pages_text[0], " ".join(" ".join(pages_text).split())
    for text in ("UBND TỈNH AN GIANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "BÁO CÁO", f"Số: {number}", f"An Giang, ngày {report.issued_on.day:02d} tháng"):
        assert text in first, text
    for text in ("Sở Tư pháp", "Nguyễn Thanh Bình", "PHÓ GIÁM ĐỐC", f"Mã xác thực: {report.verification_code}"):
        assert text in whole, text
    assert hashlib.sha256(pdf).hexdigest() == report.pdf.sha256

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx))
    annex = list(workbook["Phụ lục - Danh sách"].iter_rows(values_only=True))
    assert any(row[1] == "Sở Tư pháp" for row in annex[1:]), annex[:3]

    # The verification page behind the code printed on the PDF, open to anyone.
    code = page.locator("[data-testid=verification-code]").inner_text()
    assert code == report.verification_code
    visitor = pages(360, 780)
    visitor.goto(f"/verify/{code}/")
    assert visitor.locator("[data-testid=number]").inner_text() == number
    assert visitor.locator("[data-testid=sha256]").inner_text() == hashlib.sha256(pdf).hexdigest()
    checks.page(visitor, f"{name}-05-verify-phone")
    assert report.issued_on == today

    # Provincial leadership reads the same report on a phone.
    reader = pages(360, 780)
    login(reader, "ag_ubnd")
    reader.goto("/reports/")
    go(reader.locator(f"#main a[href='/reports/consolidated/{report.pk}/']"))
    assert reader.locator("[data-testid=number]").inner_text() == number
    assert reader.locator("[data-role=downloads]").is_visible()
    checks.page(reader, f"{name}-06-report-on-a-phone")

    checks.assert_clean()


def test_leader_reads_the_dashboard_and_downloads_the_consolidated_report(pages, cast):
    """Celery runs eagerly in tests: the live server compiles the report before it answers the request."""
    leadership_journey(pages, cast, name="journey3", watch_progress=False)


@pytest.mark.services
def test_leader_watches_a_real_worker_compile_the_report(celery_worker_process, pages, cast):
    """The same journey with a Celery worker process on Redis: the page polls and the bar moves to 100%."""
    leadership_journey(pages, cast, name="journey3-worker", watch_progress=True)
