from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qms_portal.demo_constants import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo data of every app (each app's `demo.seed_demo()`, in INSTALLED_APPS order); "
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
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name != "qms_portal" and find_spec(module_name):
                    result = import_module(module_name).seed_demo()
                    accounts += result or []
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):"))
        for username, role in accounts:
            self.stdout.write(f"  {username:<14} {role}")
