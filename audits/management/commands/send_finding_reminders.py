"""Run the finding reminders by hand (the same work as the beat tasks), e.g. after an outage.

    manage.py send_finding_reminders                 # due soon and due today
    manage.py send_finding_reminders --digest        # the weekly overdue digest
    manage.py send_finding_reminders --date 2026-05-18 --digest
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from audits.services import due_reminders_send, overdue_digest_send


class Command(BaseCommand):
    help = "Send the due-date reminders of findings, or with --digest the weekly overdue digest."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--digest", action="store_true", help="Send the weekly digest of overdue findings.")
        parser.add_argument("--days-before", type=int, help="Remind this many days before the due date.")

    def handle(self, *args, date=None, digest=False, days_before=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"Not a date: {date}") from exc
        if digest:
            self.stdout.write(f"Digests sent: {overdue_digest_send(today=today)}")
        else:
            sent = due_reminders_send(today=today, days_before=days_before)
            self.stdout.write(f"Reminders sent: due soon {sent['due_soon']}, due today {sent['due_today']}")
