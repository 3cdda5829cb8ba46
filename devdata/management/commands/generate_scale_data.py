"""National-scale data for benchmarks: the modules of devdata.scale, in order.

Contract of a module (see devdata/scale/agencies.py):

    generate(*, rng: random.Random, scale: float, progress, state: dict) -> dict[str, int]   # rows written
    reset(*, progress, state: dict) -> dict[str, int]                                        # rows deleted

`rng` is seeded from `--seed` and the app's label, so adding an app does not change another app's rows.
`progress(description, total)` returns a tqdm bar. `state` is shared by the apps of one run: `today`,
`agencies` (the full-scale target), `password_hash` (one hash for every generated user), `seed`, `scale`,
plus whatever an app leaves for the apps after it (agencies sets `years`).

The run is one transaction; its parameters are recorded as an audit-log event (action `scale_data`), which
makes a second identical run a no-op and a different one a refusal unless `--reset` is given.
"""

import json
import random
import time
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from devdata.scale import scale_modules

DEFAULT_PASSWORD = "qms-scale-2026"  # every generated user; refused under production settings
MARKER_ACTION = "scale_data"
FORMAT_VERSION = 1


def present() -> dict | None:
    """The parameters of the generated data in the database, or None."""
    from qms_portal.models import AuditEvent

    event = AuditEvent.objects.filter(action=MARKER_ACTION).order_by("-at", "-pk").first()
    return json.loads(event.summary) if event else None


class Command(BaseCommand):
    help = ("Generate a deterministic national-scale data set (34 provinces, every commune, ~20,000 agencies, "
            "5 years of history) with bulk inserts; --scale 0.02 gives a few hundred agencies for CI.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Fraction of the national set (default 1.0; 0.02 is a few hundred agencies).")
        parser.add_argument("--agencies", type=int, default=20000, help="Agencies at scale 1 (default 20,000).")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="Reference date (YYYY-MM-DD) the history leads up to (default: today).")
        parser.add_argument("--reset", action="store_true", help="Delete generated data first, then generate.")
        parser.add_argument("--delete", action="store_true", help="Only delete the generated data.")
        parser.add_argument("--status", action="store_true",
                            help="Print the parameters of the generated data present (JSON, or null) and exit.")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password of every generated user.")
        parser.add_argument("--force", action="store_true", help="Allow under production settings.")
        parser.add_argument("--no-analyze", action="store_true", help="Skip VACUUM ANALYZE after loading.")

    def handle(self, *args, **options):
        if options["status"]:
            self.stdout.write(json.dumps(present()))
            return
        if settings.SETTINGS_MODULE.endswith("production") and not options["force"]:
            raise CommandError("Refusing to generate benchmark data under production settings (use --force).")
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be in (0, 1].")
        modules = scale_modules()
        quiet = options["verbosity"] == 0
        today = options["today"] or timezone.localdate()
        params = {"v": FORMAT_VERSION, "seed": options["seed"], "scale": options["scale"],
                  "agencies": options["agencies"], "today": today.isoformat(), "apps": [label for label, _ in modules]}
        existing = present()

        def progress(description: str, total: int):
            return tqdm(desc=description, total=total, disable=quiet, leave=True, dynamic_ncols=True)

        state = {**params, "today": today}
        if options["delete"] or options["reset"]:
            if existing is not None:
                self._reset(modules, progress, state)
            if options["delete"]:
                return
            existing = None
        if existing is not None:
            if existing == params:
                self.stdout.write(f"Scale data already present: {json.dumps(existing)}; nothing to do.")
                return
            raise CommandError(f"Other scale data is present ({json.dumps(existing)}); use --reset to replace it.")

        from agencies.models import Agency

        if Agency.objects.exists():
            raise CommandError(f"The database already holds {Agency.objects.count()} agencies that this command did "
                               "not make: generate into an empty database (e.g. DATABASE_URL=.../qms_bench).")
        call_command("load_divisions", verbosity=0)
        started = time.monotonic()
        state["password_hash"] = make_password(options["password"])  # hashed once, shared by every user
        totals: dict[str, int] = {}
        with transaction.atomic():
            for label, module in modules:
                rng = random.Random(f"{options['seed']}:{label}")
                written = module.generate(rng=rng, scale=options["scale"], progress=progress, state=state) or {}
                totals.update(written)
            from qms_portal.audit import audit_record

            audit_record(action=MARKER_ACTION, object_type="generate_scale_data", summary=json.dumps(params))
        loaded = time.monotonic() - started
        if connection.vendor == "postgresql" and not options["no_analyze"]:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {sum(totals.values()):,} rows in {loaded:.0f} s "
            f"(+{time.monotonic() - started - loaded:.0f} s VACUUM ANALYZE): {json.dumps(params)}"))
        if options["verbosity"] > 1:
            for name, count in sorted(totals.items()):
                self.stdout.write(f"  {name:<55} {count:>10,}")

    def _reset(self, modules, progress, state) -> None:
        started = time.monotonic()
        deleted: dict[str, int] = {}
        with transaction.atomic():
            for _label, module in reversed(modules):
                if hasattr(module, "reset"):
                    deleted.update(module.reset(progress=progress, state=state) or {})
            from qms_portal.models import AuditEvent

            AuditEvent.objects.filter(action=MARKER_ACTION).delete()
        self.stdout.write(f"Deleted {sum(deleted.values()):,} generated rows in {time.monotonic() - started:.0f} s.")
