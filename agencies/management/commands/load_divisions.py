import vietnam_provinces as vp
from django.core.management.base import BaseCommand
from tqdm import tqdm

from agencies.divisions import load_divisions


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes (2025 structure); safe to run again."

    def handle(self, *args, **options):
        total = 34 + 3321
        with tqdm(total=total, desc="divisions", unit="unit", disable=options["verbosity"] < 1,
                  file=self.stderr) as bar:
            result = load_divisions(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(
            f"Divisions (data {vp.__data_version__}): {result['provinces']} provinces and "
            f"{result['communes']} communes created, {result['updated']} updated."
        ))
