"""Load a new version of the inspection checklist from a JSON file, when the law changes.

    manage.py load_checklist checklist-2027.json

The file: {"code": "tt-xx-2027", "title": "...", "legal_basis": "...", "effective_from": "2027-01-01",
"items": [{"number": 1, "code": "scope-covers-procedures", "group": "iso9001", "text": "...", "text_en": "..."}]}.
Keep an item's code when its meaning is unchanged, so results stay comparable across versions. Inspections
opened from the effective date use the new version; earlier ones keep theirs.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audits.models import ChecklistGroup, ChecklistItem, ChecklistVersion


class Command(BaseCommand):
    help = "Load a new version of the inspection checklist (TT 26/2014 Art. 36 or its successor) from JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file describing the version and its items")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            effective_from = datetime.date.fromisoformat(data["effective_from"])
            items = data["items"]
            code = data["code"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if ChecklistVersion.objects.filter(code=code).exists():
            raise CommandError(f"A checklist version with code {code!r} already exists; versions are never changed.")
        if not items:
            raise CommandError("The version has no items.")
        numbers = [item.get("number") for item in items]
        codes = [item.get("code") for item in items]
        if len(set(numbers)) != len(numbers) or len(set(codes)) != len(codes):
            raise CommandError("Item numbers and codes must be unique within a version.")
        bad = [item.get("code") for item in items if item.get("group") not in ChecklistGroup.values
               or not item.get("text") or not item.get("code")]
        if bad:
            raise CommandError(f"Items without a code, a text or a known group ({', '.join(ChecklistGroup.values)}): "
                               f"{bad}")
        with transaction.atomic():
            version = ChecklistVersion.objects.create(code=code, title=data.get("title", code),
                                                      legal_basis=data.get("legal_basis", ""),
                                                      effective_from=effective_from)
            ChecklistItem.objects.bulk_create([
                ChecklistItem(version=version, number=item["number"], code=item["code"], group=item["group"],
                              text=item["text"], text_en=item.get("text_en", ""),
                              legal_reference=item.get("legal_reference", "")) for item in items])
        self.stdout.write(self.style.SUCCESS(f"Checklist {code}: {len(items)} items, in force from {effective_from}."))
