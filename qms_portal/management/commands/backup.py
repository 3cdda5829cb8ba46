from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms_portal.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive with the database (pg_dump custom format, or a SQLite copy), every stored "
        "file under MEDIA_ROOT and a manifest (migrations, rows per model, SHA-256 of every file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, default=None,
                            help="Archive path (default: var/backups/qms-<UTC timestamp>.tar.gz). "
                                 "Never overwrites an existing file.")

    def handle(self, *args, **options):
        try:
            path, manifest = create_backup(output=options["output"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(entry["rows"] or 0 for entry in manifest["models"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup complete: {rows} rows, {len(manifest['files'])} stored files -> {path}"))
