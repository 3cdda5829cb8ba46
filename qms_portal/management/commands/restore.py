from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms_portal.backup import BackupError, iter_summary, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into the configured database and MEDIA_ROOT, after checking "
        "every checksum, then verify the rows per model against the manifest. Refuses a database that already "
        "has data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Replace the contents of a database that already has data.")

    def handle(self, *args, **options):
        try:
            summary = restore_backup(archive_path=options["archive"], force=options["force"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in iter_summary(summary):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Restore complete: every row count and stored file matches the backup."))
