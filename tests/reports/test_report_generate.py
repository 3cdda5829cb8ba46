"""`manage.py report_generate` through its command line: queued for the workers and waited for, a report already
being compiled waited for (not duplicated), and the arguments it refuses."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from reports.models import ConsolidatedReport, ReportStatus
from reports.services import period_defaults

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("report_generate", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_without_a_worker_the_command_waits_then_says_so(cast, reporting):
    # In a test the transaction never commits, so the message to the workers is never sent: nobody compiles it.
    year = str(reporting["ag"].year)
    out, error = _run("--province", "91", "--year", year, "--user", "ag_leader", "--timeout", "1")
    report = ConsolidatedReport.objects.get()
    assert str(error) == f"Report {report.pk} not finished after 1 s: is a worker running?"
    assert f"Report {report.pk} (new), v1, verification code {report.verification_code}" in out
    assert "  queued 0%" in out.splitlines()
    assert (report.status, report.period, report.requested_by, report.scheduled) == (
        ReportStatus.QUEUED, reporting["ag"], cast.users["ag_leader"], False)


def test_a_report_already_being_compiled_is_waited_for_not_duplicated(cast, reporting):
    year = str(reporting["ag"].year)
    _run("--province", "91", "--year", year, "--timeout", "0")
    first = ConsolidatedReport.objects.get()
    assert first.scheduled is True  # no --user: the schedule asked
    out, error = _run("--period", str(reporting["ag"].pk), "--year", year, "--timeout", "1")
    assert f"Report {first.pk} (already being compiled), v1" in out
    assert str(error) == f"Report {first.pk} not finished after 1 s: is a worker running?"
    assert ConsolidatedReport.objects.count() == 1


def test_a_period_that_does_not_exist_is_refused(cast, reporting):
    out, error = _run("--period", "999999", "--year", str(reporting["ag"].year), "--inline")
    assert str(error) == "No such reporting period (create it in the admin or with the API)."
    assert out == "" and not ConsolidatedReport.objects.exists()


def test_a_provincial_report_needs_a_province_or_a_period(cast, reporting):
    out, error = _run("--kind", "provincial", "--year", str(reporting["ag"].year), "--inline")
    assert str(error) == "--province is required for a provincial report."
    assert out == "" and not ConsolidatedReport.objects.exists()


def test_what_the_service_refuses_is_the_commands_error(cast, today):
    # National: no period is looked up; a year whose window has not opened is refused by the service.
    opens = period_defaults(year=today.year + 5, kind="annual")["window_start"]
    out, error = _run("--kind", "national", "--year", str(today.year + 5), "--inline")
    assert str(error) == gettext("This reporting period has not started yet (it starts on %(date)s).") % {
        "date": opens.strftime("%d/%m/%Y")}
    assert out == "" and not ConsolidatedReport.objects.exists()
