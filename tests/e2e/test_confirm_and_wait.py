"""Irreversible steps ask first and say what will happen (a <dialog> from static JS; the form works without JS);
a plan's PDF shows the reports' progress bar and downloads itself when ready (issue 21)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.audits.conftest import pdf_upload
from tests.e2e.conftest import login
from tests.e2e.test_journeys import go, inspection_of_stp, signed_inspection_with_a_finding

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def responded_finding(cast):
    from audits import services

    _inspection, finding = signed_inspection_with_a_finding(cast, visit=timezone.localdate() - timedelta(days=14))
    services.finding_respond(actor=cast.users["ag_officer"], finding=finding, action_taken="Đã tổ chức xem xét.",
                             files=[pdf_upload()])
    return finding


def test_accepting_a_response_asks_first_and_says_what_happens(page_factory, cast):
    from audits.models import Finding, FindingStatus

    finding = responded_finding(cast)
    page = page_factory(360, 780)
    login(page, "ag_inspector")
    page.goto(f"/findings/{finding.pk}/")
    accept = page.locator("#main button[data-confirm=confirm-accept]")
    accept.click()
    dialog = page.locator("dialog#confirm-accept")
    assert dialog.is_visible() and "Vấn đề tồn tại được đóng và cơ quan được thông báo" in dialog.inner_text()
    assert "không thể hoàn tác" in dialog.inner_text()
    dialog.locator("[data-dialog-cancel]").click()  # changed their mind: nothing sent
    assert not dialog.is_visible()
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESPONDED
    accept.click()
    go(dialog.locator("button[data-confirmed]"))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.ACCEPTED
    assert page.locator("#main .message", has_text="Đã chấp nhận hành động khắc phục").count() == 1


def test_without_javascript_the_step_is_taken_directly(browser, live_server, cast):
    from audits.models import Finding, FindingStatus

    finding = responded_finding(cast)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    login(page, "ag_inspector")
    page.goto(f"/findings/{finding.pk}/")
    page.fill("#id_reject-reason", "Chưa có biên bản họp xem xét của lãnh đạo.")
    go(page.locator("#main button[data-confirm=confirm-reject]"))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.REJECTED
    context.close()


def test_the_plan_pdf_shows_progress_and_downloads_itself(browser, live_server, cast, monkeypatch):
    """The first click used to say "đang được tạo" and the user had to click again."""
    from audits.services import pdf

    plan, _inspection = inspection_of_stp(cast, visit=timezone.localdate() + timedelta(days=10))
    queued = []
    monkeypatch.setattr(pdf, "_enqueue", lambda kind, pk, revision: queued.append((kind, pk, revision)))
    plan.__class__.objects.filter(pk=plan.pk).update(pdf_file=None, pdf_status="none")  # not rendered yet
    plan.refresh_from_db()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    login(page, "ag_inspector")
    page.goto(f"/inspections/plans/{plan.pk}/")
    go(page.locator("#main a", has_text="Tải về kế hoạch (PDF)"))
    status = page.locator("#pdf-status")
    assert "Tệp PDF đang được chuẩn bị" in page.locator("#main").inner_text()
    assert status.locator("progress[data-role=progress]").is_visible()
    assert queued == [("plan", plan.pk, plan.revision)]
    with page.expect_download(timeout=30000) as download:
        pdf.pdf_render(kind="plan", pk=plan.pk, revision=plan.revision)  # the worker finishes meanwhile
    assert download.value.suggested_filename.endswith(".pdf")
    assert status.get_attribute("data-status") == "done"
    assert status.locator("[data-role=percent]").inner_text() == "100%"
    context.close()
