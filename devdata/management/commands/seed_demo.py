from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devdata.demo import demo_modules
from devdata.demo.constants import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo data (devdata.demo: each module's `seed_demo()`, in order); "
        "safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow demo data under production settings.")

    def handle(self, *args, **options):
        if (settings.SETTINGS_MODULE or "").endswith("production") and not options["force"]:
            raise CommandError("Refusing to load demo accounts in production (use --force on a test server).")
        call_command("load_divisions", verbosity=options["verbosity"])
        accounts: list[tuple[str, str]] = []
        with transaction.atomic():
            for module in demo_modules():
                accounts += module.seed_demo() or []
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):"))
        for username, role in accounts:
            self.stdout.write(f"  {username:<14} {role}")
