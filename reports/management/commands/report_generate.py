"""Request a consolidated report from the shell and wait for it (operators).

    manage.py report_generate --kind provincial --province 91 --year 2026 [--period-kind annual] [--user ag_leader]
    manage.py report_generate --kind national --year 2026 --inline

By default the report is queued for the workers and the command polls until it is done or failed; with
`--inline` this process compiles it (no worker needed). A report of the same kind and period already being
compiled is waited for, not duplicated.
"""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.kinds import kind_spec
from reports.models import ConsolidatedReport, PeriodKind, ReportingPeriod, ReportKind, ReportStatus
from reports.services import consolidated_report_request


class Command(BaseCommand):
    help = "Request a consolidated report (PDF and XLSX) and wait until it is done."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=ReportKind.values, default=ReportKind.PROVINCIAL)
        parser.add_argument("--province", type=int, help="Province code (e.g. 91 for An Giang); not for national.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--period-kind", choices=PeriodKind.values, default=PeriodKind.ANNUAL)
        parser.add_argument("--period", type=int, help="Period id (ad hoc periods).")
        parser.add_argument("--user", help="Requested on behalf of this user name (default: the schedule).")
        parser.add_argument("--inline", action="store_true", help="Compile in this process instead of a worker.")
        parser.add_argument("--timeout", type=int, default=600, help="Seconds to wait for a worker.")

    def handle(self, *args, **options):
        from django.db import transaction

        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        period = self._period(options)
        try:
            if options["inline"]:
                from reports.generation import claim

                with transaction.atomic():
                    report, created = consolidated_report_request(
                        actor=actor, kind=options["kind"], period=period, year=options["year"],
                        period_kind=options["period_kind"], scheduled=actor is None)
                    # Claimed before the commit sends the message: a worker that gets it leaves it to us.
                    token = claim(report.pk)
                result = self._run(report.pk, token) if token else None
            else:
                report, created = consolidated_report_request(
                    actor=actor, kind=options["kind"], period=period, year=options["year"],
                    period_kind=options["period_kind"], scheduled=actor is None)
                result = None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Report {report.pk} ({'new' if created else 'already being compiled'}), "
                          f"v{report.version}, verification code {report.verification_code}")
        if result is None:
            report = self._wait(report.pk, options["timeout"])
        else:
            report.refresh_from_db()
        if report.status != ReportStatus.DONE:
            raise CommandError(f"Report {report.pk} {report.status}: {report.error}")
        self.stdout.write(self.style.SUCCESS(
            f"Done: {report.number or '(no number)'} · PDF sha256 {report.pdf.sha256} · XLSX sha256 "
            f"{report.xlsx.sha256}"))

    def _run(self, pk: int, token) -> str:
        from reports.generation import fail, failure_message, run_claimed

        try:
            return run_claimed(pk, token)
        except Exception as exc:
            fail(pk, token, failure_message(exc))
            raise CommandError(failure_message(exc)) from exc

    def _period(self, options):
        if kind_spec(options["kind"]).national:
            return None
        if options["period"]:
            return ReportingPeriod.objects.filter(pk=options["period"]).first() or self._missing()
        if not options["province"]:
            raise CommandError("--province is required for a provincial report.")
        return (ReportingPeriod.objects.filter(province__code=options["province"], province__valid_to__isnull=True,
                                               year=options["year"], kind=options["period_kind"]).first()
                or self._missing())

    def _missing(self):
        raise CommandError("No such reporting period (create it in the admin or with the API).")

    def _wait(self, pk: int, timeout: int) -> ConsolidatedReport:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            report = ConsolidatedReport.objects.get(pk=pk)
            if (report.status, report.progress) != last:
                self.stdout.write(f"  {report.status} {report.progress}%")
                last = (report.status, report.progress)
            if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
                return report
            time.sleep(1)
        raise CommandError(f"Report {pk} not finished after {timeout} s: is a worker running?")
