"""Load the TT 26/2014 Art. 36 checklist (13 items) and the default finding classifications."""

import datetime

from django.db import migrations


def load(apps, schema_editor):
    from audits.checklist_data import FINDING_CLASSES, TT26_ITEMS, TT26_VERSION

    ChecklistVersion = apps.get_model("audits", "ChecklistVersion")
    ChecklistItem = apps.get_model("audits", "ChecklistItem")
    FindingClass = apps.get_model("audits", "FindingClass")
    version, _ = ChecklistVersion.objects.get_or_create(
        code=TT26_VERSION["code"],
        defaults={"title": TT26_VERSION["title"], "legal_basis": TT26_VERSION["legal_basis"],
                  "effective_from": datetime.date.fromisoformat(TT26_VERSION["effective_from"])})
    for number, code, group, text, text_en in TT26_ITEMS:
        ChecklistItem.objects.get_or_create(
            version=version, code=code,
            defaults={"number": number, "group": group, "text": text, "text_en": text_en,
                      "legal_reference": "TT 26/2014/TT-BKHCN, Điều 36"})
    for order, (code, name, name_en) in enumerate(FINDING_CLASSES, start=1):
        FindingClass.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
