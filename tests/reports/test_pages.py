"""The HTML journey: the agency submits, the Sở sees completeness, the leader requests and downloads."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import AgencyReport, AgencyReportStatus, ConsolidatedReport, ReportingPeriod

pytestmark = pytest.mark.django_db


def test_agency_starts_fills_and_submits_its_report(client, cast, reporting, qms_files):
    period = reporting["ag"]
    client.force_login(cast.users["ag_officer"])
    page = client.get("/reports/").content.decode()
    assert period.label in page
    response = client.post(f"/reports/periods/{period.pk}/my-report/")
    report = AgencyReport.objects.get(agency=cast.agencies["ag_stp"])
    assert response.url == f"/reports/agency/{report.pk}/"
    page = client.get(response.url).content.decode()
    assert "12/QĐ-STP" in page and "2/3" in page  # facts from the QMS file
    response = client.post(response.url, {"difficulties": "Thiếu cán bộ", "proposals": "Tập huấn",
                                          "other_notes": "", "funding_maintenance": "5000000",
                                          "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.funding == {"maintenance": 5_000_000} and report.difficulties == "Thiếu cán bộ"
    # The officer drafts; only the head submits.
    assert client.post(f"/reports/agency/{report.pk}/submit/").status_code == 403
    client.force_login(cast.users["ag_head"])
    client.post(f"/reports/agency/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.SUBMITTED
    page = client.get(f"/reports/agency/{report.pk}/").content.decode()
    assert "Submitted reports are frozen" in page


def test_incomplete_submission_shows_the_reason(client, cast, reporting):
    report = AgencyReport.objects.create(period=reporting["ag"], agency=cast.agencies["ag_stp"])
    client.force_login(cast.users["ag_head"])
    response = client.post(f"/reports/agency/{report.pk}/submit/", follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == AgencyReportStatus.DRAFT
    assert len(list(response.context["messages"])) >= 1


def test_department_sees_completeness_with_missing_agencies(client, cast, reporting, agency_reports):
    AgencyReport.objects.filter(pk=agency_reports["ag_stp"].pk).update(status="submitted",
                                                                       first_submitted_at=timezone.now())
    client.force_login(cast.users["ag_inspector"])
    page = client.get(f"/reports/periods/{reporting['ag'].pk}/").content.decode()
    assert 'data-testid="completeness"' in page
    assert "Sở Nội vụ" in page and "Sở Khoa học và Công nghệ" in page
    assert "ag_officer@example.invalid" not in page  # contacts only for the missing: STP has reported
    client.force_login(cast.users["ag_officer"])
    assert 'data-testid="completeness"' not in client.get(f"/reports/periods/{reporting['ag'].pk}/").content.decode()


def test_leader_requests_watches_and_downloads(client, cast, reporting, qms_files, django_capture_on_commit_callbacks):
    client.force_login(cast.users["ag_leader"])
    form = client.get(f"/reports/consolidated/new/?kind=provincial&period={reporting['ag'].pk}")
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert "Sở Khoa học và Công nghệ đã tham mưu" in initial["direction"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/reports/consolidated/new/?kind=provincial&period={reporting['ag'].pk}", {
            "kind": "provincial", "period": reporting["ag"].pk, "direction": initial["direction"],
            "results": "", "difficulties": "Khó khăn", "proposals": "Kiến nghị", "signing_capacity": "kt",
            "signer_name": "Phạm Quốc Bảo"})
    report = ConsolidatedReport.objects.get()
    assert response.url == f"/reports/consolidated/{report.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-status-url="/api/v1/reports/' in page and "js/reports.js" in page and "<progress" in page
    assert "<script>" not in page  # no inline script (CSP)
    assert client.get(f"/reports/consolidated/{report.pk}/download/pdf/").status_code == 302  # not ready
    for callback in callbacks:
        callback()
    response = client.get(f"/reports/consolidated/{report.pk}/download/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(f"/reports/consolidated/{report.pk}/download/xlsx/").status_code == 200
    assert client.get(f"/reports/consolidated/{report.pk}/download/doc/").status_code == 404
    report.refresh_from_db()
    assert report.narrative["signer_name"] == "Phạm Quốc Bảo"


def test_the_menu_has_reports(client, cast):
    client.force_login(cast.users["ag_ubnd"])
    assert 'href="/reports/"' in client.get("/").content.decode()


def test_review_actions_from_the_page(client, cast, agency_reports):
    report = agency_reports["ag_stp"]
    AgencyReport.objects.filter(pk=report.pk).update(status="submitted", first_submitted_at=timezone.now())
    client.force_login(cast.users["ag_leader"])
    client.post(f"/reports/agency/{report.pk}/return/", {"reason": ""})
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(f"/reports/agency/{report.pk}/return/", {"reason": "Bổ sung kinh phí"})
    report.refresh_from_db()
    assert report.status == "returned" and report.review_note == "Bổ sung kinh phí"
    assert client.post(f"/reports/agency/{report.pk}/destroy/").status_code == 404


def test_report_generate_command_inline(cast, reporting, qms_files, capsys):
    call_command("report_generate", "--kind", "provincial", "--province", "91", "--year", str(reporting["ag"].year),
                 "--user", "ag_leader", "--inline")
    report = ConsolidatedReport.objects.get()
    assert report.status == "done" and report.number == "01/BC-SKHCN"
    assert "Done: 01/BC-SKHCN" in capsys.readouterr().out


def test_report_generate_command_refuses_bad_arguments(cast, reporting):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such reporting period"):
        call_command("report_generate", "--province", "91", "--year", "2031", "--inline")
    with pytest.raises(CommandError, match="No user"):
        call_command("report_generate", "--province", "91", "--year", "2031", "--user", "ghost")


def test_demo_seed_is_idempotent(db, today):
    from devdata.demo.agencies import seed_demo as seed_agencies
    from devdata.demo.reports import seed_demo
    from reports.selectors import completeness

    call_command("load_divisions", verbosity=0)
    seed_agencies()
    assert seed_demo() == []
    assert seed_demo() == []
    period = ReportingPeriod.objects.get(province__code=91, year=today.year, kind="annual")
    assert ReportingPeriod.objects.filter(province__code__in=[91, 4]).count() == 8
    result = completeness(period=period)
    assert result.total.on_time > 0 and result.total.late > 0 and result.total.missing > 0
    assert not AgencyReport.objects.filter(agency__short_code="STP", period=period).exists()


def test_the_agency_report_says_which_days_its_figures_are_of(client, cast, reporting, qms_files):
    """The figures are judged at the period's window end (a finding overdue since then is not overdue in the
    report), but the page said "Số liệu tính đến" the moment they were taken, today: the same finding read
    overdue on the home page and not in the report "as of today". It now names the period and the moment."""
    period = reporting["ag"]
    period.window_end = timezone.localdate() - timedelta(days=30)
    period.save(update_fields=["window_end"])
    client.cookies["django_language"] = "vi"
    client.force_login(cast.users["ag_officer"])
    response = client.post(f"/reports/periods/{period.pk}/my-report/")
    page = client.get(response.url).content.decode()
    report = AgencyReport.objects.get(agency=cast.agencies["ag_stp"], period=period)
    taken = timezone.localtime(report.data_as_of).strftime("%d/%m/%Y %H:%M")
    assert (f"Số liệu của kỳ từ {period.window_start:%d/%m/%Y} đến {period.window_end:%d/%m/%Y}, "
            f"lấy từ hồ sơ HTQLCL lúc {taken}") in page


def test_the_officer_is_told_who_submits_the_draft(client, cast, reporting):
    """The ISO officer drafts but may not submit: the page showed only "Lưu", with no word of what comes next."""
    report = AgencyReport.objects.create(period=reporting["ag"], agency=cast.agencies["ag_stp"])
    client.cookies["django_language"] = "vi"
    client.force_login(cast.users["ag_officer"])
    page = client.get(f"/reports/agency/{report.pk}/").content.decode()
    assert "Thủ trưởng cơ quan là người nộp báo cáo cho Sở KH" in page
    client.force_login(cast.users["ag_head"])
    page = client.get(f"/reports/agency/{report.pk}/").content.decode()
    assert "Thủ trưởng cơ quan là người nộp báo cáo" not in page and "confirm-submit" in page


@pytest.mark.parametrize("user, asked, not_asked", [("ag_leader", "period", "year"), ("ministry", "year", "period")])
def test_the_request_form_asks_only_what_the_reader_s_reports_read(client, cast, reporting, user, asked, not_asked):
    """A province's leader, who cannot ask for the national roll-up, was asked for its "Năm (tổng hợp toàn
    quốc)"; the ministry, which asks for the roll-up only, for a province's reporting period."""
    client.force_login(cast.users[user])
    response = client.get("/reports/consolidated/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="{asked}"' in page and f'name="{not_asked}"' not in page
